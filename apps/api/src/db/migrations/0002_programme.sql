CREATE TABLE "kpi_measures" (
	"kpi_id" uuid NOT NULL,
	"measure_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_targets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kpi_id" uuid NOT NULL,
	"measure_id" uuid,
	"year" integer NOT NULL,
	"target" numeric(16, 2) NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "kpis" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"definition" jsonb NOT NULL,
	"unit" text NOT NULL,
	"kind" text NOT NULL,
	"benefit" text NOT NULL,
	"source_module" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_agencies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"measure_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sub_programme_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"sort_order" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"start_year" integer NOT NULL,
	"end_year" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programmes_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "sub_programmes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"programme_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" jsonb NOT NULL,
	"sort_order" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_measures" ADD CONSTRAINT "kpi_measures_kpi_id_kpis_id_fk" FOREIGN KEY ("kpi_id") REFERENCES "public"."kpis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_measures" ADD CONSTRAINT "kpi_measures_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_kpi_id_kpis_id_fk" FOREIGN KEY ("kpi_id") REFERENCES "public"."kpis"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_agencies" ADD CONSTRAINT "measure_agencies_measure_id_measures_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_agencies" ADD CONSTRAINT "measure_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measures" ADD CONSTRAINT "measures_sub_programme_id_sub_programmes_id_fk" FOREIGN KEY ("sub_programme_id") REFERENCES "public"."sub_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sub_programmes" ADD CONSTRAINT "sub_programmes_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_measures_key" ON "kpi_measures" USING btree ("kpi_id","measure_id");--> statement-breakpoint
CREATE INDEX "kpi_measures_measure_id_idx" ON "kpi_measures" USING btree ("measure_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_targets_key" ON "kpi_targets" USING btree ("kpi_id",coalesce("measure_id", '00000000-0000-0000-0000-000000000000'::uuid),"year");--> statement-breakpoint
CREATE INDEX "kpi_targets_measure_id_idx" ON "kpi_targets" USING btree ("measure_id");--> statement-breakpoint
CREATE UNIQUE INDEX "kpis_code_key" ON "kpis" USING btree ("code");--> statement-breakpoint
CREATE INDEX "measure_agencies_measure_id_idx" ON "measure_agencies" USING btree ("measure_id");--> statement-breakpoint
CREATE INDEX "measure_agencies_agency_id_idx" ON "measure_agencies" USING btree ("agency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "measures_code_key" ON "measures" USING btree ("code");--> statement-breakpoint
CREATE INDEX "measures_sub_programme_id_idx" ON "measures" USING btree ("sub_programme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sub_programmes_programme_code_key" ON "sub_programmes" USING btree ("programme_id","code");