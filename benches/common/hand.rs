//! The benchmark definition's rules written by hand in Rust: the practical limit.
//!
//! What a careful developer writes instead of a rule engine: a plain struct with typed,
//! validated fields (`None` for missing or invalid), Rust enums for enum fields, text
//! case-folded once when the struct is built, and `Option<bool>` where a rule can be unknown
//! (criteria), so that `not criteria.timeframe` means "known to be false" exactly as in
//! leadspec's three-valued logic. A stage matches only when its rule is definitely true, so
//! the stage conditions themselves are plain `bool`s.

use chrono::{Days, NaiveDate};

/// A text value and its lowercase form (for the case-insensitive tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// As given (trimmed for e-mails and URLs).
    pub text: String,
    /// Lowercased once, when the lead is built.
    pub folded: String,
}

impl Text {
    /// A text and its folded form.
    pub fn new(text: String) -> Text {
        let folded = text.to_lowercase();
        Text { text, folded }
    }
}

/// `country`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Country {
    Us,
    Ca,
    Gb,
    De,
    Fr,
    Jp,
    Br,
    Other,
}

impl Country {
    /// The value as the definition writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Country::Us => "us",
            Country::Ca => "ca",
            Country::Gb => "gb",
            Country::De => "de",
            Country::Fr => "fr",
            Country::Jp => "jp",
            Country::Br => "br",
            Country::Other => "other",
        }
    }
}

/// `industry`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Industry {
    Software,
    Finance,
    Health,
    Retail,
    Manufacturing,
    Education,
    Government,
    Other,
}

impl Industry {
    /// The value as the definition writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Industry::Software => "software",
            Industry::Finance => "finance",
            Industry::Health => "health",
            Industry::Retail => "retail",
            Industry::Manufacturing => "manufacturing",
            Industry::Education => "education",
            Industry::Government => "government",
            Industry::Other => "other",
        }
    }
}

/// `role`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    User,
    Influencer,
    DecisionMaker,
    EconomicBuyer,
}

impl Role {
    /// The value as the definition writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Influencer => "influencer",
            Role::DecisionMaker => "decision_maker",
            Role::EconomicBuyer => "economic_buyer",
        }
    }
}

/// `source`.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Web,
    Event,
    Referral,
    Partner,
    Outbound,
    Ads,
}

impl Source {
    /// The value as the definition writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Event => "event",
            Source::Referral => "referral",
            Source::Partner => "partner",
            Source::Outbound => "outbound",
            Source::Ads => "ads",
        }
    }
}

/// A lead after validation: `None` is missing or invalid.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    pub email: Option<Text>,
    pub website: Option<Text>,
    pub company: Option<Text>,
    pub title: Option<Text>,
    pub phone: Option<Text>,
    pub need: Option<Text>,
    pub country: Option<Country>,
    pub industry: Option<Industry>,
    pub role: Option<Role>,
    pub source: Option<Source>,
    pub employees: Option<f64>,
    pub budget: Option<f64>,
    pub page_views: Option<f64>,
    pub purchase_by: Option<NaiveDate>,
    pub last_seen: Option<NaiveDate>,
    pub customer_since: Option<NaiveDate>,
    pub engaged: Option<bool>,
    pub demo_requested: Option<bool>,
    pub unsubscribed: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub notes: Option<Text>,
}

/// The stages, in the definition's declaration order (so `as usize` is leadspec's `StageIndex`).
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Contact,
    Inquiry,
    Nurture,
    Mql,
    Sql,
    Opportunity,
    Proposal,
    Customer,
}

/// Stage ids, by [`Stage`] index.
pub const STAGE_IDS: [&str; 8] = ["contact", "inquiry", "nurture", "mql", "sql", "opportunity", "proposal", "customer"];

/// Kleene `and`.
#[inline]
fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Kleene `or`.
#[inline]
fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

fn has_tag(lead: &Lead, tag: &str) -> Option<bool> {
    lead.tags.as_ref().map(|tags| tags.iter().any(|t| t == tag))
}

/// The dates the rules compare with, from `today`.
struct Dates {
    today: NaiveDate,
    in_30d: NaiveDate,
    in_90d: NaiveDate,
    ago_2w: NaiveDate,
    ago_26w: NaiveDate,
}

impl Dates {
    #[inline]
    fn new(today: NaiveDate) -> Dates {
        Dates {
            today,
            in_30d: today + Days::new(30),
            in_90d: today + Days::new(90),
            ago_2w: today - Days::new(14),
            ago_26w: today - Days::new(182),
        }
    }
}

/// The criteria `budget`, `authority`, `need`, `timeframe` (`None`: unknown).
#[inline]
pub fn criteria(lead: &Lead, today: NaiveDate) -> [Option<bool>; 4] {
    criteria_at(lead, &Dates::new(today))
}

#[inline]
fn criteria_at(lead: &Lead, dates: &Dates) -> [Option<bool>; 4] {
    let budget = lead.budget.map(|b| b >= 10_000.0);
    let authority = or(
        lead.role.map(|r| matches!(r, Role::DecisionMaker | Role::EconomicBuyer)),
        lead.title.as_ref().map(|t| t.folded.contains("chief")),
    );
    let need = or(Some(lead.need.is_some()), has_tag(lead, "pain"));
    let timeframe = lead.purchase_by.map(|d| d <= dates.in_90d);
    [budget, authority, need, timeframe]
}

/// The lead's stage at `today`, as the definition decides it: stages tried by priority,
/// then later-declared first; the first whose rule is definitely true wins.
pub fn stage_of(lead: &Lead, today: NaiveDate) -> Option<Stage> {
    let dates = Dates::new(today);
    let [budget, authority, need, timeframe] = criteria_at(lead, &dates);
    let qualified = and(and(budget, authority), and(need, timeframe)) == Some(true);
    let seen_since = |since: NaiveDate| lead.last_seen.is_some_and(|d| d >= since);

    // priority 10
    if lead.customer_since.is_some_and(|d| d <= dates.today) {
        return Some(Stage::Customer);
    }
    // priority 1
    if need == Some(true) && timeframe == Some(false) && seen_since(dates.ago_26w) {
        return Some(Stage::Nurture);
    }
    // priority 0, later-declared first
    if budget == Some(true)
        && authority == Some(true)
        && lead.purchase_by.is_some_and(|d| d <= dates.in_30d)
        && seen_since(dates.ago_2w)
        && lead.company.is_some()
    {
        return Some(Stage::Proposal);
    }
    if qualified && lead.demo_requested == Some(true) && lead.employees.is_some_and(|e| e >= 50.0) {
        return Some(Stage::Opportunity);
    }
    if qualified {
        return Some(Stage::Sql);
    }
    if let Some(email) = &lead.email {
        if is_mql(lead, email) {
            return Some(Stage::Mql);
        }
        if lead.engaged == Some(true)
            || lead.demo_requested == Some(true)
            || has_tag(lead, "download") == Some(true)
            || lead.page_views.is_some_and(|v| v >= 5.0)
        {
            return Some(Stage::Inquiry);
        }
        if lead.unsubscribed != Some(true) {
            return Some(Stage::Contact);
        }
    }
    None
}

fn is_mql(lead: &Lead, email: &Text) -> bool {
    use Country::*;
    lead.country.is_some_and(|c| matches!(c, Us | Ca | Gb | De | Fr))
        && lead.industry.is_some_and(|i| !matches!(i, Industry::Government | Industry::Education))
        && !email.folded.ends_with(".edu")
        && (lead.page_views.is_some_and(|v| v >= 10.0)
            || has_tag(lead, "webinar") == Some(true)
            || lead.website.as_ref().is_some_and(|w| {
                let w = &w.text;
                w.ends_with(".io") || w.ends_with(".ai") || w.ends_with(".dev")
            })
            || lead.source.is_some_and(|s| matches!(s, Source::Referral | Source::Partner)))
}
