//! Clients: demographics, search, duplicates.
//!
//! Everyone signed in may create, edit and search clients (the "clients'
//! demographics" row of the permission table); nobody may delete one. Every
//! call is audited with ids only, never a name or the text of a search.
//!
//! Search and the duplicate check compare names *folded* (see
//! [`crate::names::fold`]), so "zoe" finds "Zoë" and "JOSÉ" finds "Jose". The
//! folded legal and preferred names are kept in `clients.search_key`.

mod bulk;
mod model;
mod service;
mod store;
mod validation;

pub use bulk::CheckedClient;
pub use model::*;
pub(crate) use service::follow_roster;
pub use service::{create, get, search, update};
pub(crate) use store::{by_id, forget, refresh_search_keys, summary_of};

/// A client's everyday name in SQL, for a query that calls the clients
/// table `c`: the preferred name (else the legal first name) and the family
/// name, in the order the client writes them. What schedules show.
pub(crate) const EVERYDAY_NAME_SQL: &str = "CASE c.name_order WHEN 'family'
    THEN c.legal_last_name || ' ' || coalesce(nullif(c.preferred_name, ''), c.legal_first_name)
    ELSE coalesce(nullif(c.preferred_name, ''), c.legal_first_name) || ' ' || c.legal_last_name END";
