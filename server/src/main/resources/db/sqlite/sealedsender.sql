-- Sealed-sender feature: the unidentified access key of each account that uploaded one. A sealed
-- send to the account must present it (compared in constant time) unless unrestricted is 1.
-- access_key is 16 random bytes the account's client made and gives its contacts inside
-- end-to-end encrypted messages; it names nobody and opens nothing else.
CREATE TABLE sealed_sender_access (
    account_id   TEXT PRIMARY KEY,
    access_key   BLOB NOT NULL,
    unrestricted INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
