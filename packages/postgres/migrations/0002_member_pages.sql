-- @roomkit/postgres schema, version 2: a room's members paged in join order (rk:room:members,
-- subscribe acks, receipts) read their page from an index instead of sorting the whole room.
CREATE INDEX room_members_order ON room_members (channel, position);
