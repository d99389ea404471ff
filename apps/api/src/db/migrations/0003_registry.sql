CREATE TABLE "enterprise_people" (
	"id" uuid PRIMARY KEY NOT NULL,
	"enterprise_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"title" text,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enterprises" (
	"id" uuid PRIMARY KEY NOT NULL,
	"ubn" text NOT NULL,
	"name" text NOT NULL,
	"industry_code" text,
	"county_code" text,
	"address" text,
	"paid_in_capital_twd" bigint,
	"regular_employees" integer,
	"sme_status" text,
	"sme_status_as_of" date,
	"source_agency_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"birth_date" date,
	"gender" text,
	"nationality" text DEFAULT 'TW' NOT NULL,
	"county_code" text,
	"education" text,
	"employment_status" text,
	"employer_enterprise_id" uuid,
	"preferred_locale" text DEFAULT 'zh-TW' NOT NULL,
	"national_id_enc" text,
	"national_id_key_id" text,
	"national_id_hash" text,
	"national_id_kind" text,
	"national_id_masked" text,
	"source_agency_id" uuid,
	"merged_into_id" uuid,
	"anonymised_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enterprise_people" ADD CONSTRAINT "enterprise_people_enterprise_id_enterprises_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprise_people" ADD CONSTRAINT "enterprise_people_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_industry_code_industries_code_fk" FOREIGN KEY ("industry_code") REFERENCES "public"."industries"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enterprises" ADD CONSTRAINT "enterprises_source_agency_id_agencies_id_fk" FOREIGN KEY ("source_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_county_code_counties_code_fk" FOREIGN KEY ("county_code") REFERENCES "public"."counties"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_employer_enterprise_id_enterprises_id_fk" FOREIGN KEY ("employer_enterprise_id") REFERENCES "public"."enterprises"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_source_agency_id_agencies_id_fk" FOREIGN KEY ("source_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enterprise_people_enterprise_id_idx" ON "enterprise_people" USING btree ("enterprise_id");--> statement-breakpoint
CREATE INDEX "enterprise_people_person_id_idx" ON "enterprise_people" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enterprises_ubn_key" ON "enterprises" USING btree ("ubn");--> statement-breakpoint
CREATE INDEX "enterprises_name_trgm_idx" ON "enterprises" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "enterprises_industry_code_idx" ON "enterprises" USING btree ("industry_code");--> statement-breakpoint
CREATE INDEX "enterprises_county_code_idx" ON "enterprises" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "enterprises_source_agency_id_idx" ON "enterprises" USING btree ("source_agency_id");--> statement-breakpoint
CREATE INDEX "enterprises_created_at_id_idx" ON "enterprises" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_account_id_key" ON "persons" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_national_id_hash_key" ON "persons" USING btree ("national_id_hash") WHERE merged_into_id is null;--> statement-breakpoint
CREATE INDEX "persons_email_idx" ON "persons" USING btree ("email");--> statement-breakpoint
CREATE INDEX "persons_name_trgm_idx" ON "persons" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "persons_county_code_idx" ON "persons" USING btree ("county_code");--> statement-breakpoint
CREATE INDEX "persons_employer_enterprise_id_idx" ON "persons" USING btree ("employer_enterprise_id");--> statement-breakpoint
CREATE INDEX "persons_source_agency_id_idx" ON "persons" USING btree ("source_agency_id");--> statement-breakpoint
CREATE INDEX "persons_merged_into_id_idx" ON "persons" USING btree ("merged_into_id");--> statement-breakpoint
CREATE INDEX "persons_created_at_id_idx" ON "persons" USING btree ("created_at","id");