CREATE TABLE "audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"op" text NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"dispatch_area" text NOT NULL,
	"first_seen_at" bigint NOT NULL,
	"station_id" uuid NOT NULL,
	CONSTRAINT "bags_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "bill_bags" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bill_no" text NOT NULL,
	"parent_code" text NOT NULL,
	"added_at" bigint NOT NULL,
	"added_by" text,
	"station_id" uuid NOT NULL,
	"removed_at" bigint,
	"removed_by" text
);
--> statement-breakpoint
CREATE TABLE "bills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bill_no" text NOT NULL,
	"destination" text NOT NULL,
	"vehicle_no" text NOT NULL,
	"capacity" integer NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"dispatch_area" text NOT NULL,
	"station_id" uuid NOT NULL,
	"created_at" bigint NOT NULL,
	"created_by" text,
	"completed_at" bigint,
	"completed_by" text,
	CONSTRAINT "bills_bill_no_unique" UNIQUE("bill_no")
);
--> statement-breakpoint
CREATE TABLE "changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"xid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"entity" text NOT NULL,
	"row" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conflicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"op" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"local" jsonb NOT NULL,
	"central" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolution" text
);
--> statement-breakpoint
CREATE TABLE "links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"child_code" text NOT NULL,
	"parent_code" text NOT NULL,
	"linked_at" bigint NOT NULL,
	"linked_by" text,
	"station_id" uuid NOT NULL,
	"removed_at" bigint,
	"removed_by" text
);
--> statement-breakpoint
CREATE TABLE "scans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"at" bigint NOT NULL,
	"raw" text NOT NULL,
	"code" text NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"username" text,
	"scanner" text NOT NULL,
	"parent_code" text,
	"bill_no" text
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"dispatch_area" text NOT NULL,
	"role_name" text NOT NULL,
	"last_applied_seq" bigint DEFAULT 0 NOT NULL,
	"resync_required" boolean DEFAULT false NOT NULL,
	"last_push_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_role_name_unique" UNIQUE("role_name")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"dispatch_area" text,
	"password_hash" text NOT NULL,
	"badge_code" text,
	"pin_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"station_id" uuid NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "bill_bags_active_parent_uq" ON "bill_bags" USING btree ("parent_code") WHERE "bill_bags"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "bill_bags_bill_idx" ON "bill_bags" USING btree ("bill_no");--> statement-breakpoint
CREATE INDEX "changes_xid_id_idx" ON "changes" USING btree ("xid","id");--> statement-breakpoint
CREATE UNIQUE INDEX "conflicts_station_seq_uq" ON "conflicts" USING btree ("station_id","seq","subject");--> statement-breakpoint
CREATE UNIQUE INDEX "links_active_child_uq" ON "links" USING btree ("child_code") WHERE "links"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "links_parent_idx" ON "links" USING btree ("parent_code");--> statement-breakpoint
CREATE INDEX "scans_code_idx" ON "scans" USING btree ("code","at");--> statement-breakpoint
CREATE INDEX "scans_station_idx" ON "scans" USING btree ("station_id","seq");