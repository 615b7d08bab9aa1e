-- lint fixture: fires ban_drop_database
-- expect: 3:1 error ban_drop_database
DROP DATABASE IF EXISTS `shop_old`;
