-- @roomkit/postgres schema, version 4: a user's rooms paged in the order they joined them
-- (rk:room:list) read their page from an index instead of every membership of the user. It also
-- serves what room_members_user did (roomsOf, countRooms), which is dropped.
CREATE INDEX room_members_user_order ON room_members (user_id, position);
DROP INDEX room_members_user;
