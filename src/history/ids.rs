//! [`Ids`]: lead ids, each kept once and numbered, the compact storage a replayer and a
//! waterfall counter share.

use std::hash::{BuildHasher, RandomState};

/// Lead ids, each kept once, numbered from 0 in order of first appearance: the ids back to
/// back in one text, where each ends, and an open-addressing table of numbers keyed by the
/// id's hash. Beyond the id's own bytes, a lead takes 8 bytes for where it ends and a 4-byte
/// slot in a table between three eighths and three quarters full: 13 to 19 bytes, where a
/// `HashMap<Box<str>, u32>` takes about 80 (24-byte buckets, and a heap block per id).
#[derive(Clone, Debug, Default)]
pub(super) struct Ids {
    /// Every id, back to back.
    text: String,
    /// Where each id ends in `text`, by number.
    ends: Vec<usize>,
    /// The table: 0 for an empty slot, else an id's number plus one. Its length is a power
    /// of two, at most three quarters full.
    slots: Vec<u32>,
    /// Keys chosen at random per table, so that no input can make the ids collide on purpose.
    hasher: RandomState,
}

impl Ids {
    /// How many ids.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The id numbered `n`.
    pub(super) fn get(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.ends[n - 1] };
        &self.text[start..self.ends[n]]
    }

    /// The number of `id`, numbering it if it is new.
    pub(super) fn number(&mut self, id: &str) -> u32 {
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.hasher.hash_one(id) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => {
                    // More than 4 billion leads would exhaust memory long before the numbers.
                    let n = u32::try_from(self.len()).unwrap_or(u32::MAX - 1);
                    self.text.push_str(id);
                    self.ends.push(self.text.len());
                    self.slots[slot] = n + 1;
                    return n;
                }
                taken if self.get(taken - 1) == id => return taken - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Doubles the table and places every id again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        let mut slots = vec![0u32; size];
        for n in 0..self.len() as u32 {
            let mut slot = self.hasher.hash_one(self.get(n)) as usize & (size - 1);
            while slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = n + 1;
        }
        self.slots = slots;
    }

    /// The numbers in id order (byte order of the ids). The table is dropped first: no id
    /// is numbered after this.
    pub(super) fn in_order(&mut self) -> Vec<u32> {
        self.slots = Vec::new();
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.get(a).cmp(self.get(b)));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbered_once_and_sorted_by_their_bytes() {
        let mut ids = Ids::default();
        let words: Vec<String> = (0..1000).map(|i| format!("L{}", (i * 7919) % 1000)).collect();
        for (i, word) in words.iter().enumerate() {
            assert_eq!(ids.number(word), i as u32);
        }
        for (i, word) in words.iter().enumerate().rev() {
            assert_eq!(ids.number(word), i as u32, "{word} again");
        }
        assert_eq!(ids.number(""), 1000);
        assert_eq!((ids.len(), ids.get(1), ids.get(1000)), (1001, "L919", ""));
        assert!(ids.slots.len() * 3 >= ids.len() * 4);
        let order: Vec<&str> = ids.in_order().into_iter().map(|n| ids.get(n)).collect();
        let mut sorted: Vec<&str> = words.iter().map(String::as_str).chain([""]).collect();
        sorted.sort();
        assert_eq!(order, sorted);
    }
}
