//! The stored note: the floor every notes service stands on. It owns what
//! clinical.db keeps of a group note — the note row and its content, who was
//! booked, signatures and addenda with their canonical hashes, the goals a
//! note rates — plus the member record that redacts it and the writer of the
//! full-text index. Nothing here imports a service; the services import it.

pub(crate) mod addendum;
pub(crate) mod goal;
pub(crate) mod index;
pub(crate) mod member_record;
pub(crate) mod note;
pub(crate) mod parts;
pub(crate) mod purge_trail;
pub(crate) mod signature;
