CREATE TABLE "Events" ("Id" integer, "Created At" timestamp with time zone, "type" text);
