CREATE TABLE "Audit Log" ("Event Type" text, "At" timestamp with time zone);
