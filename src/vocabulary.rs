//! The shared vocabulary that ties each organisation's stage words to common ones.
//!
//! A stage's `canonical` names one [`SharedWord`]. Two definitions that use different words
//! for their stages can then be compared and translated into each other: see
//! [`Definition::translate`](crate::Definition::translate).

use std::fmt;

/// A word of the shared lead vocabulary.
///
/// The funnel words, in funnel order: `suspect`, `contact`, `inquiry`, `mql`, `sal`, `sql`,
/// `opportunity`, `proposal`, `customer`. The side words, off the funnel: `nurture`,
/// `recycled`, `disqualified`.
///
/// ```
/// use leadspec::SharedWord;
/// assert_eq!(SharedWord::from_name("sql"), Some(SharedWord::Sql));
/// assert_eq!(SharedWord::from_name("SQL"), None); // written exactly
/// assert_eq!(SharedWord::Sql.name(), "sql");
/// assert_eq!(SharedWord::Opportunity.to_string(), "opportunity");
/// assert!(SharedWord::Recycled.is_side() && !SharedWord::Mql.is_side());
/// assert!(SharedWord::Mql < SharedWord::Sql); // ordered as the funnel, side words last
/// assert_eq!(SharedWord::ALL.iter().filter(|w| w.is_side()).count(), 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SharedWord {
    /// Someone who might become a lead; we know little yet.
    Suspect,
    /// Someone we can reach.
    Contact,
    /// Someone who showed interest.
    Inquiry,
    /// Marketing-qualified lead.
    Mql,
    /// Sales-accepted lead.
    Sal,
    /// Sales-qualified lead.
    Sql,
    /// An opportunity (a prospect with a deal in view).
    Opportunity,
    /// A proposal has been made.
    Proposal,
    /// Has done business with us.
    Customer,
    /// Interested but not ready: kept warm by marketing.
    Nurture,
    /// Sent back from sales to marketing.
    Recycled,
    /// Ruled out.
    Disqualified,
}

impl SharedWord {
    /// Every shared word: the funnel words in funnel order, then the side words.
    pub const ALL: [SharedWord; 12] = [
        SharedWord::Suspect,
        SharedWord::Contact,
        SharedWord::Inquiry,
        SharedWord::Mql,
        SharedWord::Sal,
        SharedWord::Sql,
        SharedWord::Opportunity,
        SharedWord::Proposal,
        SharedWord::Customer,
        SharedWord::Nurture,
        SharedWord::Recycled,
        SharedWord::Disqualified,
    ];

    /// The word as written in a definition.
    pub fn name(self) -> &'static str {
        match self {
            SharedWord::Suspect => "suspect",
            SharedWord::Contact => "contact",
            SharedWord::Inquiry => "inquiry",
            SharedWord::Mql => "mql",
            SharedWord::Sal => "sal",
            SharedWord::Sql => "sql",
            SharedWord::Opportunity => "opportunity",
            SharedWord::Proposal => "proposal",
            SharedWord::Customer => "customer",
            SharedWord::Nurture => "nurture",
            SharedWord::Recycled => "recycled",
            SharedWord::Disqualified => "disqualified",
        }
    }

    /// The shared word written `name`, if any.
    pub fn from_name(name: &str) -> Option<SharedWord> {
        SharedWord::ALL.into_iter().find(|w| w.name() == name)
    }

    /// The 0-based position of a funnel word in the funnel; `None` for a side word.
    ///
    /// ```
    /// use leadspec::SharedWord;
    /// assert_eq!(SharedWord::Suspect.funnel_position(), Some(0));
    /// assert_eq!(SharedWord::Customer.funnel_position(), Some(8));
    /// assert_eq!(SharedWord::Nurture.funnel_position(), None);
    /// ```
    pub fn funnel_position(self) -> Option<usize> {
        let position = SharedWord::ALL.iter().position(|&w| w == self)?;
        (position < 9).then_some(position)
    }

    /// What the word means, in one sentence (for glossaries and editor hints).
    ///
    /// ```
    /// assert_eq!(leadspec::SharedWord::Sal.meaning(), "A sales-accepted lead.");
    /// ```
    pub fn meaning(self) -> &'static str {
        match self {
            SharedWord::Suspect => "Someone who might become a lead; we know little yet.",
            SharedWord::Contact => "Someone we can reach.",
            SharedWord::Inquiry => "Someone who showed interest.",
            SharedWord::Mql => "A marketing-qualified lead.",
            SharedWord::Sal => "A sales-accepted lead.",
            SharedWord::Sql => "A sales-qualified lead.",
            SharedWord::Opportunity => "An opportunity: a prospect with a deal in view.",
            SharedWord::Proposal => "A proposal has been made.",
            SharedWord::Customer => "Has done business with us.",
            SharedWord::Nurture => "Interested but not ready: kept warm by marketing. A side word.",
            SharedWord::Recycled => "Sent back from sales to marketing. A side word.",
            SharedWord::Disqualified => "Ruled out. A side word.",
        }
    }

    /// Whether this is a side word (`nurture`, `recycled`, `disqualified`).
    pub fn is_side(self) -> bool {
        self.funnel_position().is_none()
    }
}

impl fmt::Display for SharedWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
