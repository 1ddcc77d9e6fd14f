-- A conversation belongs to a contact through its customer's address (participants[2]); the
-- contact page, its timeline and search by contact look conversations up by that address.
create index conversations_customer_idx on conversations ((participants[2]));
