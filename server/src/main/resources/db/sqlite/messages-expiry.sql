-- The queue store per relayed message (issue 11): the expiry index was a B-tree every send inserted
-- into and every ack deleted from, only to serve the hourly TTL purge. The purge now walks the table
-- by primary key in bounded chunks on a read connection and deletes the expired rows by id, each
-- chunk its own short write (JdbcMessageStore.deleteExpired), so it needs no index on expires_at.
DROP INDEX IF EXISTS messages_by_expiry;
