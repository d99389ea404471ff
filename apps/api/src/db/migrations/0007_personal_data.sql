CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"granted" boolean NOT NULL,
	"notice_version" integer NOT NULL,
	"source" text NOT NULL,
	"recorded_by_account_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_claim_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"email" text,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by_account_id" uuid,
	"created_by_account_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_claims" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"claimant_person_id" uuid,
	"person_id" uuid,
	"basis" text NOT NULL,
	"national_id_masked" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by_account_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personal_data_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"requested_by_account_id" uuid,
	"type" text NOT NULL,
	"details" text,
	"status" text DEFAULT 'open' NOT NULL,
	"received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"extended_at" timestamp with time zone,
	"extension_reason" text,
	"decision" text,
	"legal_reason" text,
	"decision_note" text,
	"decided_by_account_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "birth_year" integer;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claim_invitations" ADD CONSTRAINT "person_claim_invitations_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claim_invitations" ADD CONSTRAINT "person_claim_invitations_used_by_account_id_accounts_id_fk" FOREIGN KEY ("used_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claim_invitations" ADD CONSTRAINT "person_claim_invitations_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claims" ADD CONSTRAINT "person_claims_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claims" ADD CONSTRAINT "person_claims_claimant_person_id_persons_id_fk" FOREIGN KEY ("claimant_person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claims" ADD CONSTRAINT "person_claims_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_claims" ADD CONSTRAINT "person_claims_decided_by_account_id_accounts_id_fk" FOREIGN KEY ("decided_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_requests" ADD CONSTRAINT "personal_data_requests_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_requests" ADD CONSTRAINT "personal_data_requests_requested_by_account_id_accounts_id_fk" FOREIGN KEY ("requested_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personal_data_requests" ADD CONSTRAINT "personal_data_requests_decided_by_account_id_accounts_id_fk" FOREIGN KEY ("decided_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_person_id_purpose_idx" ON "consents" USING btree ("person_id","purpose","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "person_claim_invitations_token_hash_key" ON "person_claim_invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "person_claim_invitations_person_id_idx" ON "person_claim_invitations" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_claim_invitations_used_by_account_id_idx" ON "person_claim_invitations" USING btree ("used_by_account_id");--> statement-breakpoint
CREATE INDEX "person_claim_invitations_created_by_account_id_idx" ON "person_claim_invitations" USING btree ("created_by_account_id");--> statement-breakpoint
CREATE INDEX "person_claims_account_id_idx" ON "person_claims" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "person_claims_claimant_person_id_idx" ON "person_claims" USING btree ("claimant_person_id");--> statement-breakpoint
CREATE INDEX "person_claims_person_id_idx" ON "person_claims" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_claims_decided_by_account_id_idx" ON "person_claims" USING btree ("decided_by_account_id");--> statement-breakpoint
CREATE INDEX "person_claims_status_created_at_idx" ON "person_claims" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_claims_one_pending_key" ON "person_claims" USING btree ("account_id","basis") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "personal_data_requests_person_id_idx" ON "personal_data_requests" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "personal_data_requests_requested_by_account_id_idx" ON "personal_data_requests" USING btree ("requested_by_account_id");--> statement-breakpoint
CREATE INDEX "personal_data_requests_decided_by_account_id_idx" ON "personal_data_requests" USING btree ("decided_by_account_id");--> statement-breakpoint
CREATE INDEX "personal_data_requests_status_due_on_idx" ON "personal_data_requests" USING btree ("status","due_on","id");--> statement-breakpoint
CREATE INDEX "personal_data_requests_created_at_id_idx" ON "personal_data_requests" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "persons_birth_date_idx" ON "persons" USING btree ("birth_date");