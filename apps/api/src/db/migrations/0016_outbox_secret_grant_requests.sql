CREATE TABLE "grant_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"role" text NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_id" uuid,
	"function" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"grant_id" uuid
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "secret_enc" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "secret_key_id" text;--> statement-breakpoint
ALTER TABLE "grant_requests" ADD CONSTRAINT "grant_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_requests" ADD CONSTRAINT "grant_requests_requested_by_accounts_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_requests" ADD CONSTRAINT "grant_requests_decided_by_accounts_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_requests" ADD CONSTRAINT "grant_requests_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grant_requests_account_id_idx" ON "grant_requests" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "grant_requests_pending_idx" ON "grant_requests" USING btree ("requested_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "grant_requests_requested_by_idx" ON "grant_requests" USING btree ("requested_by");--> statement-breakpoint
CREATE INDEX "grant_requests_decided_by_idx" ON "grant_requests" USING btree ("decided_by");--> statement-breakpoint
CREATE INDEX "grant_requests_grant_id_idx" ON "grant_requests" USING btree ("grant_id");