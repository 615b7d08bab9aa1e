-- lint fixture: safe form of enum_value_in_transaction
ALTER TYPE mood ADD VALUE 'meh';
