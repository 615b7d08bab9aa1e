CREATE SCHEMA "Sales Data";
CREATE TABLE "Sales Data"."Q1" (id integer);
CREATE VIEW "Sales Data"."Q1 View" AS SELECT id FROM "Sales Data"."Q1";
