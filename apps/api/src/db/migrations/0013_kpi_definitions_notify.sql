-- The KPI definitions and targets are read by every dashboard request and change rarely: the
-- programme service caches them (decision 014), so their tables announce changes too.
CREATE TRIGGER kpis_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpis
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER kpi_measures_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_measures
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER measures_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON measures
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
--> statement-breakpoint
CREATE TRIGGER kpi_targets_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kpi_targets
  FOR EACH STATEMENT EXECUTE FUNCTION dtp_notify_change();
