CREATE TABLE Customers (ID Integer, FullName TEXT);
CREATE INDEX Customers_Name ON Customers (FullName);
