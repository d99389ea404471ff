-- Hand-written (decision 008): Taiwan's stroke-order collation for sorting names, and the
-- one- and two-character grams that index Chinese names shorter than a trigram.
CREATE COLLATION IF NOT EXISTS zh_tw_stroke (provider = icu, locale = 'zh-Hant-TW-u-co-stroke');--> statement-breakpoint
CREATE OR REPLACE FUNCTION name_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT substr(lower(t), i, 1) AS g FROM generate_series(1, char_length(t)) AS i
    UNION ALL
    SELECT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i
  ) s WHERE g !~ '\s'
$$;--> statement-breakpoint
CREATE TABLE "enterprise_sme_statuses" (
	"enterprise_id" uuid NOT NULL,
	"as_of" date NOT NULL,
	"status" text,
	"paid_in_capital_twd" bigint,
	"regular_employees" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprise_sme_statuses_enterprise_id_as_of_pk" PRIMARY KEY("enterprise_id","as_of")
);
--> statement-breakpoint
ALTER TABLE "enterprise_sme_statuses" ADD CONSTRAINT "enterprise_sme_statuses_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprises_name_grams_idx" ON "enterprises" USING gin (name_grams("name"));--> statement-breakpoint
CREATE INDEX "enterprises_name_stroke_id_idx" ON "enterprises" USING btree ("name" collate zh_tw_stroke,"id");--> statement-breakpoint
CREATE INDEX "persons_name_grams_idx" ON "persons" USING gin (name_grams("name"));--> statement-breakpoint
CREATE INDEX "persons_name_stroke_id_idx" ON "persons" USING btree ("name" collate zh_tw_stroke,"id");--> statement-breakpoint
CREATE INDEX "persons_email_trgm_idx" ON "persons" USING gin (lower("email") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "persons_phone_trgm_idx" ON "persons" USING gin ("phone" gin_trgm_ops);--> statement-breakpoint
-- Hand-written: every SME judgement (status and date set on enterprises) is kept, by any writer.
CREATE FUNCTION enterprises_record_sme_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sme_status_as_of IS NULL THEN RETURN NEW; END IF;
  IF TG_OP = 'UPDATE' AND NEW.sme_status IS NOT DISTINCT FROM OLD.sme_status
     AND NEW.sme_status_as_of IS NOT DISTINCT FROM OLD.sme_status_as_of THEN
    RETURN NEW;
  END IF;
  INSERT INTO enterprise_sme_statuses (enterprise_id, as_of, status, paid_in_capital_twd, regular_employees)
  VALUES (NEW.id, NEW.sme_status_as_of, NEW.sme_status, NEW.paid_in_capital_twd, NEW.regular_employees)
  ON CONFLICT (enterprise_id, as_of) DO UPDATE SET status = EXCLUDED.status,
    paid_in_capital_twd = EXCLUDED.paid_in_capital_twd, regular_employees = EXCLUDED.regular_employees,
    created_at = now();
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER enterprises_sme_status_history AFTER INSERT OR UPDATE OF sme_status, sme_status_as_of ON enterprises
  FOR EACH ROW EXECUTE FUNCTION enterprises_record_sme_status();--> statement-breakpoint
INSERT INTO enterprise_sme_statuses (enterprise_id, as_of, status, paid_in_capital_twd, regular_employees)
  SELECT id, sme_status_as_of, sme_status, paid_in_capital_twd, regular_employees FROM enterprises
  WHERE sme_status_as_of IS NOT NULL ON CONFLICT DO NOTHING;
