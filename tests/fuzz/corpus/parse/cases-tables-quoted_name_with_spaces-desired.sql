CREATE TABLE "Order Items" (
	"Line No" integer NOT NULL,
	"Unit Price" numeric(8,2),
	CONSTRAINT "Order Items pk" PRIMARY KEY ("Line No")
);
