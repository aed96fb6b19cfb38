//! How many items a list from the window may hold.
//!
//! The window is trusted no more than any other input: a list far longer
//! than any screen can make (a script in a compromised page, a bug in a
//! loop) is refused by its field before anything is done for its items.
//! Each bound is generous for real use and said once, here.

use crate::error::{Error, Result};

/// A clinician's weekly availability: ten blocks a day.
pub const AVAILABILITY_BLOCKS: usize = 70;
/// Co-facilitators of one group.
pub const CO_FACILITATORS: usize = 10;
/// Sections in one part of a note (the shared part, or one member's).
/// Templates have far fewer.
pub const NOTE_SECTIONS: usize = 20;
/// Members in one session's note: a group's largest capacity.
pub const NOTE_MEMBERS: usize = 100;
/// Goal ratings in one member's section.
pub const GOAL_RATINGS: usize = 50;
/// People in one waitlist being put in order.
pub const WAITLIST: usize = 500;
/// Records purged at once.
pub const PURGE: usize = 1000;
/// Words (names, the practice's name) a passphrase is checked against.
pub const PASSPHRASE_CONTEXT_WORDS: usize = 20;

/// Refuses `items` longer than `max`, on `field`; `what` names the items
/// in the plural ("availability blocks").
pub fn at_most<T>(field: &str, items: &[T], max: usize, what: &str) -> Result<()> {
    if items.len() > max {
        Err(Error::invalid(
            field,
            format!("That is more than {max} {what}, which Circle does not take at once."),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_at_the_bound_passes_and_one_more_is_refused_by_its_field() {
        assert!(at_most("blocks", &[0; 3], 3, "blocks").is_ok());
        let e = at_most("blocks", &[0; 4], 3, "blocks").unwrap_err();
        assert_eq!(e.field(), Some("blocks"));
        assert!(e.to_string().contains("more than 3 blocks"));
    }
}
