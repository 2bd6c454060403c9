-- placeholder, replaced by the audit helper's migration
SELECT 1;
