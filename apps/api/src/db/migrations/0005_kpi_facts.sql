CREATE TABLE "kpi_facts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"metric_code" text NOT NULL,
	"kpi_code" text NOT NULL,
	"part" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"subject_id" uuid,
	"event_date" date NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"measure_code" text,
	"agency_id" uuid,
	"county_code" text,
	"industry_section" text,
	"sme_status" text,
	"gender" text,
	"age_band" text,
	"category" text,
	"value" numeric(18, 4) DEFAULT 1 NOT NULL,
	"counted_kpi" boolean NOT NULL,
	"counted_measure" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_metric_states" (
	"metric_code" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"rebuilt_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_report_records" (
	"report_id" uuid NOT NULL,
	"fact_id" uuid NOT NULL,
	"kpi_code" text NOT NULL,
	"part" text NOT NULL,
	"measure_code" text,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"event_date" date NOT NULL,
	"value" numeric(18, 4) NOT NULL,
	"counted_kpi" boolean NOT NULL,
	"counted_measure" boolean NOT NULL,
	CONSTRAINT "kpi_report_records_pkey" PRIMARY KEY("report_id","fact_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"quarter" integer NOT NULL,
	"version" integer NOT NULL,
	"reason" text,
	"period_end" date NOT NULL,
	"figures" jsonb NOT NULL,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_rollups" (
	"kpi_code" text NOT NULL,
	"part" text NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"measure_code" text NOT NULL,
	"agency_id" text NOT NULL,
	"dim" text NOT NULL,
	"key" text NOT NULL,
	"v" numeric(20, 4) NOT NULL,
	"n" bigint NOT NULL,
	"vm" numeric(20, 4) NOT NULL,
	"nm" bigint NOT NULL,
	CONSTRAINT "kpi_rollups_pkey" PRIMARY KEY("kpi_code","year","dim","part","month","measure_code","agency_id","key")
);
--> statement-breakpoint
ALTER TABLE "kpi_report_records" ADD CONSTRAINT "kpi_report_records_report_id_kpi_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."kpi_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_reports" ADD CONSTRAINT "kpi_reports_submitted_by_accounts_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_facts_record_idx" ON "kpi_facts" USING btree ("record_type","record_id");--> statement-breakpoint
CREATE INDEX "kpi_facts_drill_idx" ON "kpi_facts" USING btree ("kpi_code","year","event_date","id");--> statement-breakpoint
CREATE INDEX "kpi_facts_metric_code_idx" ON "kpi_facts" USING btree ("metric_code");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_facts_counted_kpi_key" ON "kpi_facts" USING btree ("kpi_code","part","year","subject_id") WHERE counted_kpi and subject_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_facts_counted_measure_key" ON "kpi_facts" USING btree ("kpi_code","part","year",coalesce(measure_code, ''),"subject_id") WHERE counted_measure and subject_id is not null;--> statement-breakpoint
CREATE INDEX "kpi_report_records_kpi_idx" ON "kpi_report_records" USING btree ("report_id","kpi_code","record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_reports_quarter_version_key" ON "kpi_reports" USING btree ("year","quarter","version");--> statement-breakpoint
CREATE INDEX "kpi_reports_submitted_by_idx" ON "kpi_reports" USING btree ("submitted_by");--> statement-breakpoint
-- A UUIDv7 made in SQL (PostgreSQL 15 has none) for facts built in bulk from records.
CREATE FUNCTION dtp_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid()) PLACING
        substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
      FROM 1 FOR 6),
    52, 1), 53, 1), 'hex')::uuid
$$;
--> statement-breakpoint
-- kpi_rollups follow kpi_facts in the same statement: one grouped upsert per statement through
-- transition tables (EXECUTE sees them too), one row per fact and dimension, taken in key order
-- so concurrent writers lock rows alike.
CREATE FUNCTION kpi_facts_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT nf.*, 1 AS sign FROM new_facts nf'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_facts o'
    ELSE 'SELECT nf.*, 1 AS sign FROM new_facts nf UNION ALL SELECT o.*, -1 AS sign FROM old_facts o'
  END;
BEGIN
  EXECUTE format($q$
    INSERT INTO kpi_rollups AS r (kpi_code, year, dim, part, month, measure_code, agency_id, key, v, n, vm, nm)
    SELECT f.kpi_code, f.year, d.dim, f.part, f.month, coalesce(f.measure_code, ''),
      coalesce(f.agency_id::text, ''), d.key,
      coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_kpi), 0),
      coalesce(sum(f.sign) FILTER (WHERE f.counted_kpi), 0),
      coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_measure), 0),
      coalesce(sum(f.sign) FILTER (WHERE f.counted_measure), 0)
    FROM (%s) f
    CROSS JOIN LATERAL (VALUES
      ('total', ''),
      ('county', coalesce(f.county_code, '')),
      ('industry', coalesce(f.industry_section, '')),
      ('sme', coalesce(f.sme_status, '')),
      ('gender', coalesce(f.gender, '')),
      ('age_band', coalesce(f.age_band, '')),
      ('category', coalesce(f.category, ''))
    ) AS d(dim, key)
    WHERE f.counted_kpi OR f.counted_measure
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT kpi_rollups_pkey DO UPDATE
      SET v = r.v + excluded.v, n = r.n + excluded.n, vm = r.vm + excluded.vm, nm = r.nm + excluded.nm
  $q$, src);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER kpi_facts_rollup_insert AFTER INSERT ON kpi_facts
  REFERENCING NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_rollup();
--> statement-breakpoint
CREATE TRIGGER kpi_facts_rollup_update AFTER UPDATE ON kpi_facts
  REFERENCING OLD TABLE AS old_facts NEW TABLE AS new_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_rollup();
--> statement-breakpoint
CREATE TRIGGER kpi_facts_rollup_delete AFTER DELETE ON kpi_facts
  REFERENCING OLD TABLE AS old_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_rollup();
--> statement-breakpoint
-- TRUNCATE fires no row or statement DML triggers: the rollups go with the facts.
CREATE FUNCTION kpi_facts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE kpi_rollups;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER kpi_facts_truncate AFTER TRUNCATE ON kpi_facts
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_facts_truncate();
