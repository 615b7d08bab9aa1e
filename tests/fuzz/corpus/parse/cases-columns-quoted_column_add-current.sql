CREATE TABLE "Events" ("Id" integer);
