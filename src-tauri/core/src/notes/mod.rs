//! Session notes: templates, group and member notes, signing, redaction.
//! (Being built: issue 5. Only the member-view redaction exists so far.)

pub mod redaction;
