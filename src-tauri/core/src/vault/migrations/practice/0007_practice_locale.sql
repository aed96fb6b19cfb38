-- practice.db, level 7: the practice's locale (a BCP 47 tag such as "en-IE"),
-- which decides how every date, time and date field is written.
--
-- NULL means "not chosen": Circle reads it as the default for the practice's
-- time zone (practice::default_locale_for_zone — Europe/Dublin gives en-IE,
-- America/Chicago en-US, Europe/Berlin de-DE, …), so existing vaults get the
-- same default a new one is set up with, from one mapping kept in Rust.
-- New vaults store the default explicitly at setup; the owner may change it.
ALTER TABLE practice_settings ADD COLUMN locale TEXT;
