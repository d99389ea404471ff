CREATE TABLE "counties" (
	"code" text PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"name_en" text NOT NULL,
	"type" text NOT NULL,
	"iso_code" text NOT NULL,
	"id_letter" text NOT NULL,
	"region" text NOT NULL,
	"region6" text NOT NULL,
	"sort_order" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "industries" (
	"code" text PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"section" text NOT NULL,
	"parent_code" text,
	"name_zh" text NOT NULL,
	"name_en" text,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ipas_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name_zh" text NOT NULL,
	"code" text,
	"levels" text NOT NULL,
	"papers" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"confidence" text DEFAULT '' NOT NULL,
	"source" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "industries_parent_code_idx" ON "industries" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "industries_section_idx" ON "industries" USING btree ("section");--> statement-breakpoint
CREATE UNIQUE INDEX "ipas_items_name_levels_key" ON "ipas_items" USING btree ("name_zh","levels");