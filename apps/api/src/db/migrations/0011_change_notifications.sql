-- Decision 014: a statement trigger on each table an in-process cache reads sends the table's name
-- on the channel dtp_changes. NOTIFY is transactional: listeners hear it when the write commits,
-- never for a write rolled back, and once per table per transaction however many rows changed.
CREATE OR REPLACE FUNCTION dtp_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('dtp_changes', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER persons_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON persons
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER enterprises_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enterprises
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER enterprise_people_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enterprise_people
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER industries_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON industries
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER accounts_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER grants_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grants
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
-- A new session changes no session a cache holds; only an update (stage, touch, revocation) or a delete does.
CREATE TRIGGER auth_sessions_notify_change AFTER UPDATE OR DELETE OR TRUNCATE ON auth_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
