-- As messages-expiry.sql on SQLite (issue 11): the expiry index cost every send an index insert (and
-- its WAL record) and every ack a dead index entry, only for the hourly TTL purge, which now walks
-- the table by primary key in bounded chunks and deletes the expired rows by id, each chunk its own
-- short transaction (JdbcMessageStore.deleteExpired).
DROP INDEX IF EXISTS messages_by_expiry;
