//! Writes a wide CRM lead export as CSV, for the CSV part of the end-to-end benchmark
//! (`benches/cli_e2e.sh`): `leadspec classify` with `benches/common/export.toml`, timed
//! against `examples/csv_floor.rs`.
//!
//! ```sh
//! cargo run --release --features cli --example gen_export -- 100000 > export.csv     # the benchmark's seed
//! cargo run --release --features cli --example gen_export -- 100000 42 > other.csv   # another seed
//! ```
//!
//! The rows look like what CRMs and marketing tools export: the 37 columns of the public
//! "Lead Scoring" export of an online education company (Prospect ID, Lead Origin, Tags,
//! Lead Quality, Asymmetrique scores, ...), then 18 contact and deal columns the way HubSpot
//! or Zoho write them (E-mail Address, Website, Annual Revenue, Created Time, Notes, ...).
//! Headers are labels, not identifiers. Cells hold placeholders (`Select`, `N/A`, `-`,
//! empty), `Y`/`N` and `Yes`/`No` flags, amounts with currency signs, codes and thousands
//! separators, dates in three local formats without an offset, bare domains, comma lists in
//! one quoted cell, and free-text notes with commas, doubled quotes and line breaks. A few
//! per cent of the values are wrong the way real ones are (an e-mail without a domain,
//! `n.a.` in a number column, a range for an amount, a day-first date, MySQL's zero date),
//! so validation has work to do. Rows end in CRLF, as spreadsheet exports do. The same
//! arguments give the same bytes.

#[path = "../benches/common/mod.rs"]
mod common;

use std::io::{self, BufWriter};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use common::Rng;

/// The header, in the order the cells of a row are written.
const HEADER: [&str; 55] = [
    // The public "Lead Scoring" export.
    "Prospect ID",
    "Lead Number",
    "Lead Origin",
    "Lead Source",
    "Do Not Email",
    "Do Not Call",
    "Converted",
    "TotalVisits",
    "Total Time Spent on Website",
    "Page Views Per Visit",
    "Last Activity",
    "Country",
    "Specialization",
    "How did you hear about X Education",
    "What is your current occupation",
    "What matters most to you in choosing a course",
    "Search",
    "Magazine",
    "Newspaper Article",
    "X Education Forums",
    "Newspaper",
    "Digital Advertisement",
    "Through Recommendations",
    "Receive More Updates About Our Courses",
    "Tags",
    "Lead Quality",
    "Update me on Supply Chain Content",
    "Get updates on DM Content",
    "Lead Profile",
    "City",
    "Asymmetrique Activity Index",
    "Asymmetrique Profile Index",
    "Asymmetrique Activity Score",
    "Asymmetrique Profile Score",
    "I agree to pay the amount through cheque",
    "A free copy of Mastering The Interview",
    "Last Notable Activity",
    // Contact and deal columns as HubSpot or Zoho export them.
    "First Name",
    "Last Name",
    "E-mail Address",
    "Phone",
    "Job Title",
    "Company",
    "Website",
    "Industry",
    "No. of Employees",
    "Annual Revenue",
    "Deal Amount",
    "Lead Owner",
    "Lead Status",
    "Marketing Interests",
    "Created Time",
    "Last Modified",
    "Close Date",
    "Notes",
];

// Value pools with rough weights, after the public export where it has the column. The
// enum fields of `benches/common/export.toml` list exactly the valid values below.

const LEAD_ORIGIN: [(&str, u32); 5] =
    [("Landing Page Submission", 530), ("API", 390), ("Lead Add Form", 75), ("Lead Import", 5), ("Quick Add Form", 1)];
const LEAD_SOURCE: [(&str, u32); 21] = [
    ("Google", 310),
    ("Direct Traffic", 275),
    ("Olark Chat", 190),
    ("Organic Search", 125),
    ("Reference", 58),
    ("Welingak Website", 15),
    ("Referral Sites", 13),
    ("Facebook", 6),
    ("google", 1),
    ("bing", 1),
    ("Click2call", 1),
    ("Social Media", 1),
    ("Live Chat", 1),
    ("Press_Release", 1),
    ("Pay per Click Ads", 1),
    ("blog", 1),
    ("WeLearn", 1),
    ("welearnblog_Home", 1),
    ("youtubechannel", 1),
    ("testone", 1),
    ("NC_EDM", 1),
];
const LAST_ACTIVITY: [(&str, u32); 17] = [
    ("Email Opened", 372),
    ("SMS Sent", 297),
    ("Olark Chat Conversation", 105),
    ("Page Visited on Website", 69),
    ("Converted to Lead", 46),
    ("Email Bounced", 35),
    ("Email Link Clicked", 29),
    ("Form Submitted on Website", 13),
    ("Unreachable", 10),
    ("Unsubscribed", 6),
    ("Had a Phone Conversation", 3),
    ("Approached upfront", 1),
    ("View in browser link Clicked", 1),
    ("Email Received", 1),
    ("Email Marked Spam", 1),
    ("Visited Booth in Tradeshow", 1),
    ("Resubscribed to emails", 1),
];
const COUNTRY: [(&str, u32); 14] = [
    ("India", 700),
    ("United States", 7),
    ("United Arab Emirates", 5),
    ("Singapore", 2),
    ("Saudi Arabia", 2),
    ("United Kingdom", 2),
    ("Australia", 1),
    ("Qatar", 1),
    ("Bahrain", 1),
    ("Hong Kong", 1),
    ("Oman", 1),
    ("France", 1),
    ("unknown", 1),
    ("Asia/Pacific Region", 1),
];
const SPECIALIZATION: [(&str, u32); 18] = [
    ("Finance Management", 106),
    ("Human Resource Management", 92),
    ("Marketing Management", 91),
    ("Operations Management", 55),
    ("Business Administration", 44),
    ("IT Projects Management", 40),
    ("Supply Chain Management", 38),
    ("Banking, Investment And Insurance", 37),
    ("Travel and Tourism", 22),
    ("Media and Advertising", 22),
    ("International Business", 19),
    ("Healthcare Management", 17),
    ("Hospitality Management", 12),
    ("E-COMMERCE", 12),
    ("Retail Management", 11),
    ("Rural and Agribusiness", 8),
    ("E-Business", 6),
    ("Services Excellence", 4),
];
const HEARD_ABOUT: [(&str, u32); 9] = [
    ("Online Search", 87),
    ("Word Of Mouth", 38),
    ("Student of SomeSchool", 34),
    ("Other", 20),
    ("Multiple Sources", 2),
    ("Advertisements", 1),
    ("Social Media", 1),
    ("Email", 1),
    ("SMS", 1),
];
const OCCUPATION: [(&str, u32); 6] = [
    ("Unemployed", 606),
    ("Working Professional", 76),
    ("Student", 23),
    ("Other", 2),
    ("Housewife", 1),
    ("Businessman", 1),
];
const WHAT_MATTERS: [(&str, u32); 3] =
    [("Better Career Prospects", 706), ("Flexibility & Convenience", 1), ("Other", 1)];
const TAGS: [(&str, u32); 26] = [
    ("Will revert after reading the email", 224),
    ("Ringing", 130),
    ("Interested in other courses", 55),
    ("Already a student", 50),
    ("Closed by Horizzon", 39),
    ("switched off", 26),
    ("Busy", 20),
    ("Lost to EINS", 19),
    ("Not doing further education", 16),
    ("Interested  in full time MBA", 13),
    ("Graduation in progress", 12),
    ("invalid number", 9),
    ("Diploma holder (Not Eligible)", 7),
    ("wrong number given", 5),
    ("opp hangup", 4),
    ("number not provided", 3),
    ("in touch with EINS", 1),
    ("Lost to Others", 1),
    ("Still Thinking", 1),
    ("Want to take admission but has financial problems", 1),
    ("In confusion whether part time or DLP", 1),
    ("Interested in Next batch", 1),
    ("Lateral student", 1),
    ("Shall take in the next coming month", 1),
    ("University not recognized", 1),
    ("Recognition issue (DEC approval)", 1),
];
const LEAD_QUALITY: [(&str, u32); 5] =
    [("Might be", 169), ("Not Sure", 119), ("High in Relevance", 70), ("Worst", 65), ("Low in Relevance", 63)];
const LEAD_PROFILE: [(&str, u32); 5] = [
    ("Potential Lead", 171),
    ("Other Leads", 52),
    ("Student of SomeSchool", 26),
    ("Lateral Student", 1),
    ("Dual Specialization Student", 1),
];
const CITY: [(&str, u32); 6] = [
    ("Mumbai", 350),
    ("Thane & Outskirts", 81),
    ("Other Cities", 74),
    ("Other Cities of Maharashtra", 49),
    ("Other Metro Cities", 41),
    ("Tier II Cities", 8),
];
const LAST_NOTABLE: [(&str, u32); 10] = [
    ("Modified", 367),
    ("Email Opened", 305),
    ("SMS Sent", 237),
    ("Page Visited on Website", 32),
    ("Olark Chat Conversation", 20),
    ("Email Link Clicked", 19),
    ("Email Bounced", 6),
    ("Unsubscribed", 5),
    ("Unreachable", 3),
    ("Had a Phone Conversation", 1),
];
const FIRST_NAMES: [&str; 24] = [
    "Ravi",
    "Priya",
    "Anjali",
    "Arjun",
    "Meera",
    "Vikram",
    "Sneha",
    "Rahul",
    "Kavya",
    "Aditya",
    "Pooja",
    "Nikhil",
    "Divya",
    "Karan",
    "Isha",
    "Rohan",
    "Sara",
    "John",
    "Fatima",
    "Omar",
    "Li",
    "Emma",
    "Tanvi",
    "Siddharth",
];
const LAST_NAMES: [&str; 20] = [
    "Sharma",
    "Patel",
    "Iyer",
    "Nair",
    "Rao",
    "Singh",
    "Gupta",
    "Mehta",
    "Das",
    "Kulkarni",
    "Joshi",
    "Reddy",
    "Khan",
    "Fernandes",
    "D'Souza",
    "Thomas",
    "Chen",
    "Smith",
    "Pillai",
    "Banerjee",
];
/// Companies and their domains (all under `.example`).
const COMPANIES: [(&str, &str); 12] = [
    ("Acme Corp", "acme.example"),
    ("Globex", "globex.example"),
    ("Initech Pvt. Ltd.", "initech.example"),
    ("Umbrella Health", "umbrella.example"),
    ("Sharma & Sons, Pvt. Ltd.", "sharmasons.example"),
    ("Stark Industries", "stark.example"),
    ("Wayne Enterprises, Inc.", "wayne.example"),
    ("Tata Learning", "tatalearn.example"),
    ("Infotech Solutions", "infotech.example"),
    ("Hooli", "hooli.example"),
    ("Nakatomi Trading Co.", "nakatomi.example"),
    ("Vandelay Industries", "vandelay.example"),
];
const FREE_MAIL: [&str; 4] = ["gmail.example", "yahoo.example", "outlook.example", "rediffmail.example"];
const BAD_EMAILS: [&str; 6] = [
    "ravi.sharma@",
    "priya(at)gmail.example",
    "no email given",
    "anil@gmail,example",
    "john.doe@@acme.example",
    "meera iyer@outlook.example",
];
const JOB_TITLES: [&str; 10] = [
    "Student",
    "Software Engineer",
    "Marketing Manager",
    "Head of HR",
    "Founder & CEO",
    "Operations Executive",
    "Teacher",
    "Business Analyst",
    "VP, Sales",
    "Director - Finance",
];
const INDUSTRY: [(&str, u32); 8] = [
    ("Education", 25),
    ("Information Technology", 30),
    ("Financial Services", 15),
    ("Healthcare", 8),
    ("Manufacturing", 8),
    ("Retail", 6),
    ("Government", 3),
    ("Other", 5),
];
const LEAD_OWNERS: [&str; 6] = ["Priya Nair", "Rahul Mehta", "Anjali Rao", "Vikram Singh", "Sara Thomas", "Arjun Das"];
/// Lead statuses for cold and warm leads.
const STATUS_COLD: [(&str, u32); 8] = [
    ("Not Contacted", 35),
    ("Attempted to Contact", 25),
    ("Contact in Future", 10),
    ("Contacted", 10),
    ("Pre-Qualified", 3),
    ("Not Qualified", 7),
    ("Junk Lead", 6),
    ("Lost Lead", 4),
];
const STATUS_WARM: [(&str, u32); 8] = [
    ("Not Contacted", 5),
    ("Attempted to Contact", 10),
    ("Contact in Future", 12),
    ("Contacted", 35),
    ("Pre-Qualified", 30),
    ("Not Qualified", 3),
    ("Junk Lead", 1),
    ("Lost Lead", 4),
];
const INTERESTS: [&str; 8] =
    ["webinar", "ebook", "case study", "free trial", "demo", "newsletter", "pricing", "podcast"];
/// Pieces of a salesperson's notes: commas, quotes, abbreviations.
const NOTES: [&str; 20] = [
    "Called on Monday, no answer.",
    "Said \"call me after the 15th\", prefers WhatsApp.",
    "Wants the \"Data Science\" batch; asked about EMI options.",
    "Budget approved by manager, needs the invoice in the company's name.",
    "Attended the webinar \"Careers in Analytics\" (2 hrs), asked 3 questions.",
    "Spoke to her father, she will decide after the exams.",
    "Duplicate of an older lead? Check with ops.",
    "Requested a callback: 6-7pm IST, weekdays only.",
    "Price too high, compared us with the \"EINS\" offer.",
    "Sent brochure + fee structure.",
    "Left a voicemail.",
    "Works night shifts, call before noon.",
    "Interested in the weekend batch, not the weekday one.",
    "Asked whether the certificate is UGC-approved.",
    "Company will sponsor 50%, rest by the student.",
    "Wrong number? The person who answered was \"not interested\".",
    "Follow up after Diwali.",
    "Met at the Pune education fair, stall #14.",
    "Needs a demo login for his team (5 people).",
    "Email bounced; phone works.",
];
const WEBSITE_PATHS: [&str; 5] = ["", "/pricing", "/about-us", "/contact", "/careers"];

/// An item of a weighted pool.
fn weighted<'a>(rng: &mut Rng, pool: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = pool.iter().map(|&(_, w)| w).sum();
    let mut roll = rng.below(u64::from(total)) as u32;
    for &(item, weight) in pool {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    unreachable!("the roll is below the total weight")
}

/// `n` with a `,` between each group of three digits: `1200000` is `1,200,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in dollars as CRMs write it: `$25,000`, `"1,200.50"`, `USD 3,000`, `4800`,
/// `$ 12,500.00`, `3,000 USD`, `€40,000`.
fn amount(rng: &mut Rng, dollars: u64) -> String {
    let cents = if rng.percent(20) { rng.below(100) } else { 0 };
    match rng.below(10) {
        0..=2 => format!("${}", grouped(dollars)),
        3 | 4 => format!("{}.{cents:02}", grouped(dollars)),
        5 | 6 => format!("USD {}", grouped(dollars)),
        7 => dollars.to_string(),
        8 => format!("$ {}.{cents:02}", grouped(dollars)),
        _ => {
            if rng.percent(50) {
                format!("{} USD", grouped(dollars))
            } else {
                format!("€{}", grouped(dollars))
            }
        }
    }
}

/// The cells of one row, pushed in header order.
struct Row<'r> {
    rng: &'r mut Rng,
    cells: &'r mut Vec<String>,
}

impl Row<'_> {
    fn push(&mut self, cell: impl Into<String>) {
        self.cells.push(cell.into());
    }

    /// `Yes` `yes_pct`% of the time, else `No`, as the public export writes its flags.
    fn yes_no(&mut self, yes_pct: u64) {
        let cell = if self.rng.percent(yes_pct) { "Yes" } else { "No" };
        self.push(cell);
    }

    /// `Y`/`N` as Zoho writes its opt-outs; now and then empty or `Unknown` (not a flag).
    fn y_n(&mut self, yes_pct: u64) {
        let cell = match self.rng.below(1000) {
            0..=9 => "",
            10..=14 => "Unknown",
            _ if self.rng.percent(yes_pct) => "Y",
            _ => "N",
        };
        self.push(cell);
    }

    /// A weighted pick, or one of the placeholders (`placeholder`% of the time: `Select` for
    /// a drop-down nobody touched, or an empty cell), or, `invalid`% of the time, one of
    /// `wrong` (a value that is not in the field's list).
    fn choice(&mut self, pool: &[(&str, u32)], placeholder: u64, select: bool, invalid: u64, wrong: &[&str]) {
        let roll = self.rng.below(100);
        let cell = if roll < placeholder {
            if select && self.rng.percent(60) {
                "Select"
            } else {
                ""
            }
        } else if roll < placeholder + invalid {
            *self.rng.pick(wrong)
        } else {
            weighted(self.rng, pool)
        };
        self.push(cell);
    }

    /// A number cell: empty or `N/A` `missing`% of the time, `n.a.` or `#VALUE!` (not a
    /// number, and not a placeholder either) half a per cent of the time, else `text`.
    fn number(&mut self, missing: u64, text: impl FnOnce(&mut Rng) -> String) {
        let roll = self.rng.below(1000);
        let cell = if roll < missing * 10 {
            if self.rng.percent(70) {
                String::new()
            } else {
                "N/A".to_string()
            }
        } else if roll < missing * 10 + 5 {
            self.rng.pick(&["n.a.", "#VALUE!"]).to_string()
        } else {
            text(self.rng)
        };
        self.push(cell);
    }
}

/// A version-4 UUID, as the public export's `Prospect ID`.
fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// A moment between `days.0` and `days.1` days before `now`, to the second.
fn days_ago(rng: &mut Rng, now: NaiveDateTime, days: (i64, i64)) -> NaiveDateTime {
    let seconds = rng.between(days.0 * 86_400, days.1 * 86_400);
    now - TimeDelta::seconds(seconds)
}

/// Pushes the cells of row `i` (0-based) onto `cells`.
fn row(rng: &mut Rng, i: usize, cells: &mut Vec<String>) {
    let now = common::now().naive_utc();
    let today: NaiveDate = common::today();
    // About three leads in ten are warm: fuller records, bigger deals, recent activity,
    // closer dates, so that the later stages are reached as often as in a real pipeline.
    let warm = rng.percent(30);
    let mut r = Row { rng, cells };

    let id = uuid(r.rng);
    r.push(id);
    r.push((660_000 + i).to_string());
    r.choice(&LEAD_ORIGIN, 0, false, 0, &[]);
    r.choice(&LEAD_SOURCE, 1, false, 1, &["LinkedIn", "Google Ads", "Referral"]);
    r.y_n(8);
    r.y_n(1);
    let converted = if warm { r.rng.percent(35) } else { r.rng.percent(8) };
    r.push(if converted { "1" } else { "0" });
    let visits = if r.rng.percent(25) { 0 } else { r.rng.between(1, if warm { 25 } else { 12 }) };
    // Visits as the public export writes them (`5.0`), now and then as an integer (`6`).
    r.number(2, |_| if visits % 3 == 0 { visits.to_string() } else { format!("{visits}.0") });
    r.number(0, |rng| if visits == 0 { "0".to_string() } else { rng.between(10, 2300).to_string() });
    r.number(2, |rng| {
        if visits == 0 {
            "0".to_string()
        } else {
            let text = format!("{:.2}", rng.between(100, 600) as f64 / 100.0);
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    });
    r.choice(&LAST_ACTIVITY, 1, false, 0, &[]);
    r.choice(&COUNTRY, 26, false, 0, &[]);
    r.choice(&SPECIALIZATION, 37, true, 0, &[]);
    r.choice(&HEARD_ABOUT, 78, true, 0, &[]);
    // Half of the warm leads are working professionals.
    let professional = warm && r.rng.percent(50);
    let occupation: &[(&str, u32)] = if professional { &[("Working Professional", 1)] } else { &OCCUPATION };
    r.choice(occupation, if professional { 0 } else { 29 }, false, 0, &[]);
    r.choice(&WHAT_MATTERS, 29, false, 0, &[]);
    for yes_pct in [1, 0, 0, 0, 0, 1, 1, 0] {
        r.yes_no(yes_pct);
    }
    // Tags: one tag, sometimes two in one cell ("Ringing, Busy").
    let tags = if r.rng.percent(36) {
        String::new()
    } else {
        let first = weighted(r.rng, &TAGS);
        let second = weighted(r.rng, &TAGS);
        if second != first && r.rng.percent(10) {
            format!("{first}, {second}")
        } else {
            first.to_string()
        }
    };
    r.push(tags);
    let quality: &[(&str, u32)] =
        if warm { &[("High in Relevance", 3), ("Might be", 2), ("Not Sure", 1)] } else { &LEAD_QUALITY };
    r.choice(quality, if warm { 30 } else { 52 }, false, 0, &[]);
    r.yes_no(0);
    r.yes_no(0);
    r.choice(&LEAD_PROFILE, 74, true, 1, &["Potential lead", "Student"]);
    r.choice(&CITY, 39, true, 0, &[]);
    // Asymmetrique indices and scores: empty together for half of the leads.
    let index = *r.rng.pick(&["01.High", "02.Medium", "02.Medium", "02.Medium", "03.Low"]);
    let profile = *r.rng.pick(&["01.High", "02.Medium", "02.Medium", "03.Low"]);
    let scored = r.rng.percent(54);
    r.push(if scored { index } else { "" });
    r.push(if scored { profile } else { "" });
    let activity = match index {
        "01.High" => r.rng.between(16, 18),
        "02.Medium" => r.rng.between(13, 15),
        _ => r.rng.between(7, 12),
    };
    r.push(if scored { format!("{activity}.0") } else { String::new() });
    let profile_score = r.rng.between(11, 20);
    r.push(if scored { format!("{profile_score}.0") } else { String::new() });
    r.yes_no(0);
    r.yes_no(31);
    r.choice(&LAST_NOTABLE, 0, false, 0, &[]);

    // Contact and deal columns.
    let first = *r.rng.pick(&FIRST_NAMES);
    let last = *r.rng.pick(&LAST_NAMES);
    r.push(first);
    let last_cell = if r.rng.percent(3) { "" } else { last };
    r.push(last_cell);
    let company = if r.rng.percent(if warm { 25 } else { 45 }) { None } else { Some(*r.rng.pick(&COMPANIES)) };
    let email = match r.rng.below(100) {
        0..=5 => String::new(),
        6 | 7 => "N/A".to_string(),
        8..=10 => r.rng.pick(&BAD_EMAILS).to_string(),
        _ => {
            let domain = match company {
                Some((_, domain)) if r.rng.percent(70) => domain,
                _ => *r.rng.pick(&FREE_MAIL),
            };
            let local_last = last.replace('\'', "");
            let local = match r.rng.below(4) {
                0 => format!("{first}.{local_last}"),
                1 => format!("{first}{local_last}{}", r.rng.between(1, 99)),
                2 => format!("{}.{local_last}", &first[..1]),
                _ => format!("{first}_{local_last}"),
            };
            let email = format!("{local}@{domain}");
            match r.rng.below(20) {
                0 => format!(" {email} "),
                1..=9 => email,
                _ => email.to_lowercase(),
            }
        }
    };
    r.push(email);
    let phone = match r.rng.below(100) {
        0..=27 => String::new(),
        28 | 29 => "N/A".to_string(),
        30..=79 => format!("+91 9{:04} {:05}", r.rng.below(10_000), r.rng.below(100_000)),
        80..=94 => format!("09{:04}{:05}", r.rng.below(10_000), r.rng.below(100_000)),
        _ => format!("+1 (555) 01{:1}-{:04}", r.rng.below(10), r.rng.below(10_000)),
    };
    r.push(phone);
    let title = if r.rng.percent(40) { "" } else { *r.rng.pick(&JOB_TITLES) };
    r.push(title);
    let company_cell = match company {
        Some((name, _)) => name,
        None => *r.rng.pick(&["", "", "", "", "N/A", "-"]),
    };
    r.push(company_cell);
    let website = match company {
        Some((_, domain)) if r.rng.percent(60) => match r.rng.below(50) {
            0 => format!("{} .example", &domain[..domain.len() - ".example".len()]),
            1 => format!("ftp://files.{domain}"),
            2..=19 => format!("{domain}{}", r.rng.pick(&WEBSITE_PATHS)),
            20..=29 => format!("www.{domain}"),
            30..=41 => format!("https://{domain}{}", r.rng.pick(&WEBSITE_PATHS)),
            _ => format!("http://www.{domain}{}", r.rng.pick(&WEBSITE_PATHS)),
        },
        Some(_) => String::new(),
        None => if r.rng.percent(5) { "N/A" } else { "" }.to_string(),
    };
    r.push(website);
    r.choice(&INDUSTRY, 45, true, 1, &["IT", "Banking"]);
    let employees = *r.rng.pick(&[3, 12, 48, 250, 1_200, 12_000]);
    let employees = match r.rng.below(100) {
        0..=34 => String::new(),
        35 | 36 => r.rng.pick(&["50-200", "11 to 50"]).to_string(),
        _ => grouped(employees),
    };
    r.push(employees);
    r.number(50, |rng| {
        if rng.percent(6) {
            rng.pick(&["$25,000 - $50,000", "approx 1M", "TBD"]).to_string()
        } else {
            let revenue = *rng.pick(&[250_000, 1_200_000, 3_500_000, 12_000_000, 85_000_000]);
            amount(rng, revenue)
        }
    });
    let deals: &[u64] = if warm {
        &[5_000, 8_500, 12_000, 25_000, 48_000, 120_000]
    } else {
        &[500, 1_200, 2_500, 4_800, 9_999, 15_000]
    };
    r.number(if warm { 25 } else { 75 }, |rng| {
        if rng.percent(3) {
            rng.pick(&["TBD", "25k"]).to_string()
        } else {
            let deal = *rng.pick(deals);
            amount(rng, deal)
        }
    });
    let owner = if r.rng.percent(8) { "" } else { *r.rng.pick(&LEAD_OWNERS) };
    r.push(owner);
    r.choice(if warm { &STATUS_WARM } else { &STATUS_COLD }, 4, false, 1, &["contacted", "Closed - Won"]);
    let interests = match r.rng.below(100) {
        0..=44 => String::new(),
        45..=47 => "Select".to_string(),
        _ => {
            let count = 1 + r.rng.below(3) as usize;
            let mut items: Vec<&str> = Vec::with_capacity(count);
            for _ in 0..count {
                let item = *r.rng.pick(&INTERESTS);
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            items.join(", ")
        }
    };
    r.push(interests);

    // Dates, local times without an offset: created, modified after it, and a close date.
    let created = days_ago(r.rng, now, if warm { (1, 120) } else { (1, 730) });
    let created_cell = match r.rng.below(100) {
        0..=3 => String::new(),
        4 => r.rng.pick(&["31/12/2025", "yesterday", "2026-13-01 10:00:00"]).to_string(),
        5..=14 => created.format("%m/%d/%Y").to_string(),
        _ => created.format("%d %b, %Y %H:%M:%S").to_string(),
    };
    r.push(created_cell);
    let since = (now - created).num_seconds();
    let modified = now - TimeDelta::seconds(r.rng.between(60, since.max(60)) / if warm { 8 } else { 1 });
    let modified_cell = match r.rng.below(200) {
        0..=7 => r.rng.pick(&["", "N/A"]).to_string(),
        8 => r.rng.pick(&["2026-02-30 10:15:00", "0000-00-00 00:00:00"]).to_string(),
        9..=14 => modified.format("%Y-%m-%dT%H:%M:%S").to_string(),
        _ => modified.format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    r.push(modified_cell);
    let close_offset = if warm { r.rng.between(-10, 90) } else { r.rng.between(-60, 200) };
    let close = today + TimeDelta::days(close_offset);
    let close_cell = if r.rng.percent(if warm { 20 } else { 55 }) {
        r.rng.pick(&["", "", "", "N/A", "-"]).to_string()
    } else if r.rng.percent(3) {
        r.rng.pick(&["TBD", "Q1 2027", "31/12/2026"]).to_string()
    } else {
        close.format("%m/%d/%Y").to_string()
    };
    r.push(close_cell);

    // Notes: one to three pieces, joined by a space or a line break.
    let notes = if r.rng.percent(35) {
        String::new()
    } else {
        let mut notes = String::new();
        for k in 0..1 + r.rng.below(3) {
            if k > 0 {
                notes.push_str(if r.rng.percent(30) { "\n" } else { " " });
            }
            let piece = *r.rng.pick(&NOTES);
            notes.push_str(piece);
        }
        notes
    };
    r.push(notes);
    assert_eq!(r.cells.len(), HEADER.len(), "a row has one cell per column");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(common::SEED);
    let out = BufWriter::with_capacity(64 << 10, io::stdout().lock());
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(HEADER)?;
    let mut rng = Rng::new(seed);
    let mut cells = Vec::with_capacity(HEADER.len());
    for i in 0..count {
        cells.clear();
        row(&mut rng, i, &mut cells);
        writer.write_record(&cells)?;
    }
    writer.flush()?;
    Ok(())
}
