-- lint fixture: fires ban_drop_database
DROP DATABASE shop;
