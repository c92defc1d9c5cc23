//! Which loaded definition a stage index, a team index or a prepared record belongs to.
//!
//! The lowest layer: records carry a stamp, and definitions give them out.

/// A number given to each loaded definition (a clone of a definition shares its stamp, as
/// it has the same stages and fields). Indices and prepared records carry the stamp of the
/// definition that made them, so that another definition can refuse them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Stamp(u64);

impl Stamp {
    /// The stamp of no definition: that of a record made without one.
    #[cfg(any(test, feature = "proptest"))]
    pub(crate) const NONE: Stamp = Stamp(0);

    /// A stamp no other load in this process has.
    pub(crate) fn new() -> Stamp {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Stamp(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::Stamp;

    #[test]
    fn every_stamp_is_new_and_none_is_no_ones() {
        let (a, b) = (Stamp::new(), Stamp::new());
        assert_ne!(a, b);
        assert_ne!(a, Stamp::NONE);
        assert_eq!(a, a.clone());
    }
}
