//! How an enum is stored as text, said once per enum: `as_db`, `from_db`
//! and rusqlite's `ToSql`/`FromSql`, so rows read and write the enum itself.
//! Text that names no variant reads as an error, never as a guessed default.

/// `stored_as_text!(Kind { Variant = "text", … });`
macro_rules! stored_as_text {
    ($ty:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $ty {
            /// As stored in the database.
            #[allow(dead_code)]
            pub fn as_db(self) -> &'static str {
                match self {
                    $($ty::$variant => $text,)+
                }
            }

            /// The variant stored as `text`, if any.
            #[allow(dead_code)]
            pub fn from_db(text: &str) -> Option<$ty> {
                match text {
                    $($text => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl rusqlite::types::ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_db().into())
            }
        }

        impl rusqlite::types::FromSql for $ty {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                $ty::from_db(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(
                        concat!("not a stored ", stringify!($ty)).into(),
                    )
                })
            }
        }
    };
}

pub(crate) use stored_as_text;
