-- @roomkit/postgres schema, version 1. Applied by migrate() inside one transaction, with
-- search_path set to the store's schema; docs/storage.md describes every table.

-- One row per store: the epoch clients compare across reconnects (it never changes).
CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('epoch', substr(md5(random()::text || clock_timestamp()::text), 1, 12));

-- One row per channel that was ever written: its latest seq and the lowest seq still kept.
CREATE TABLE streams (
  channel text PRIMARY KEY,
  latest bigint NOT NULL DEFAULT 0,
  oldest bigint NOT NULL DEFAULT 1
);

-- Every kept seq of every channel: a message (kind 'm') or a change entry ('e' edit,
-- 'd' delete, 'r' react, 'u' unreact). Seqs of a channel are contiguous from streams.oldest
-- to streams.latest. body is the JSON of the body (binary values beside it), NULL once deleted.
CREATE TABLE entries (
  channel text NOT NULL,
  seq bigint NOT NULL,
  kind "char" NOT NULL CHECK (kind IN ('m', 'e', 'd', 'r', 'u')),
  stored_at timestamptz NOT NULL DEFAULT now(),
  -- A message: the seq of its thread's root (replyTo); a change: its target's seq.
  ref bigint,
  -- A message: its id, sender, sentAt and clientId; a change: by and at.
  id uuid,
  sender text NOT NULL,
  sent_at double precision NOT NULL,
  client_id text,
  body json,
  -- A reaction change: the reaction and its count after the change.
  reaction text,
  count integer,
  -- A message's state as it is now.
  version bigint,
  edited_at double precision,
  deleted_by text,
  deleted_at double precision,
  reactions jsonb,
  replies integer NOT NULL DEFAULT 0,
  last_reply_at double precision,
  PRIMARY KEY (channel, seq)
);
-- The database enforces the idempotency of sends: one message per (channel, sender, clientId).
CREATE UNIQUE INDEX entries_client_id ON entries (channel, sender, client_id) WHERE kind = 'm' AND client_id IS NOT NULL;
-- History pages (messages only), thread pages, and the edits a delete scrubs.
CREATE INDEX entries_messages ON entries (channel, seq) WHERE kind = 'm';
CREATE INDEX entries_threads ON entries (channel, ref, seq) WHERE kind = 'm' AND ref IS NOT NULL;
CREATE INDEX entries_edits ON entries (channel, ref) WHERE kind = 'e';

-- Who gave which reaction to which message (one row per user per reaction).
CREATE TABLE reactions (
  channel text NOT NULL,
  seq bigint NOT NULL,
  reaction text NOT NULL,
  user_id text NOT NULL,
  PRIMARY KEY (channel, seq, reaction, user_id),
  FOREIGN KEY (channel, seq) REFERENCES entries (channel, seq) ON DELETE CASCADE
);

CREATE TABLE rooms (
  channel text PRIMARY KEY,
  name text NOT NULL,
  owner text NOT NULL,
  open boolean NOT NULL,
  created_at double precision NOT NULL
);

CREATE TABLE room_members (
  channel text NOT NULL REFERENCES rooms (channel) ON DELETE CASCADE,
  user_id text NOT NULL,
  role text NOT NULL,
  muted boolean NOT NULL,
  joined_at double precision NOT NULL,
  -- Join order: a replaced member keeps theirs.
  position bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (channel, user_id)
);
CREATE INDEX room_members_user ON room_members (user_id);

CREATE TABLE read_state (
  user_id text NOT NULL,
  channel text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (user_id, channel)
);

-- Locks a channel's stream row (creating it on first use) and returns its latest seq.
-- Every writer of a channel takes this lock first, so seqs are assigned one at a time.
CREATE FUNCTION lock_stream(p_channel text) RETURNS bigint
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_latest bigint;
BEGIN
  SELECT latest INTO v_latest FROM streams WHERE channel = p_channel FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO streams (channel) VALUES (p_channel) ON CONFLICT (channel) DO NOTHING;
    SELECT latest INTO v_latest FROM streams WHERE channel = p_channel FOR UPDATE;
  END IF;
  RETURN v_latest;
END $$;

-- Appends a batch of messages in one transaction (group commit): item i is (p_channels[i],
-- p_ids[i], p_senders[i], p_sent_at[i], p_client_ids[i], p_bodies[i], p_reply_to[i]). Channels are
-- locked in a fixed order (by name, then arrival), so concurrent batches from many nodes never
-- deadlock, and a channel's messages take seqs in arrival order. Returns one row per item: its
-- seq, or, with duplicate = true, the first message stored with the same (channel, from,
-- clientId) as it is now (mine: the reactions its sender gave it).
CREATE FUNCTION append_messages(p_channels text[], p_ids uuid[], p_senders text[], p_sent_at double precision[],
  p_client_ids text[], p_bodies json[], p_reply_to bigint[])
RETURNS TABLE (idx integer, duplicate boolean, seq bigint, id uuid, sender text, sent_at double precision, client_id text,
  body json, ref bigint, version bigint, edited_at double precision, deleted_by text, deleted_at double precision,
  reactions jsonb, replies integer, last_reply_at double precision, mine text[])
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
  item record;
  v_latest bigint;
  v_seq bigint;
BEGIN
  FOR item IN
    SELECT (x.ord - 1)::integer AS i, x.channel, x.id, x.sender, x.sent_at, x.client_id, x.body, x.reply_to
    FROM unnest(p_channels, p_ids, p_senders, p_sent_at, p_client_ids, p_bodies, p_reply_to)
      WITH ORDINALITY AS x (channel, id, sender, sent_at, client_id, body, reply_to, ord)
    ORDER BY x.channel COLLATE "C", x.ord
  LOOP
    v_latest := lock_stream(item.channel);
    IF item.client_id IS NOT NULL THEN
      RETURN QUERY SELECT item.i, true, e.seq, e.id, e.sender, e.sent_at, e.client_id, e.body, e.ref, e.version, e.edited_at,
          e.deleted_by, e.deleted_at, e.reactions, e.replies, e.last_reply_at,
          ARRAY(SELECT r.reaction FROM reactions r WHERE r.channel = e.channel AND r.seq = e.seq AND r.user_id = e.sender)
        FROM entries e
        WHERE e.channel = item.channel AND e.sender = item.sender AND e.client_id = item.client_id AND e.kind = 'm';
      IF FOUND THEN CONTINUE; END IF;
    END IF;
    v_seq := v_latest + 1;
    UPDATE streams s SET latest = v_seq WHERE s.channel = item.channel;
    INSERT INTO entries (channel, seq, kind, ref, id, sender, sent_at, client_id, body, version)
    VALUES (item.channel, v_seq, 'm', item.reply_to, item.id, item.sender, item.sent_at, item.client_id, item.body, v_seq);
    IF item.reply_to IS NOT NULL THEN
      -- The root, when kept, counts the reply and takes its seq as version.
      UPDATE entries e SET replies = e.replies + 1, last_reply_at = item.sent_at, version = v_seq
      WHERE e.channel = item.channel AND e.seq = item.reply_to AND e.kind = 'm';
    END IF;
    idx := item.i; duplicate := false; seq := v_seq;
    RETURN NEXT;
  END LOOP;
END $$;

-- Applies one change to a kept, live message and stores its entry at the next seq, atomically.
-- p_type is 'e' 'd' 'r' or 'u'. Returns the status ('applied', 'unchanged', 'missing',
-- 'deleted', 'full'), the entry's seq and, for a reaction, its count after the change.
CREATE FUNCTION apply_change(p_channel text, p_type "char", p_target bigint, p_by text, p_at double precision,
  p_body json, p_reaction text, p_max_reactions integer)
RETURNS TABLE (status text, seq bigint, count integer)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
  v_latest bigint;
  v_target entries%ROWTYPE;
  v_index integer;
  v_count integer;
  v_reactions jsonb;
BEGIN
  SELECT s.latest INTO v_latest FROM streams s WHERE s.channel = p_channel FOR UPDATE;
  IF NOT FOUND THEN
    status := 'missing'; RETURN NEXT; RETURN;
  END IF;
  SELECT * INTO v_target FROM entries e WHERE e.channel = p_channel AND e.seq = p_target AND e.kind = 'm' FOR UPDATE;
  IF NOT FOUND THEN
    status := 'missing'; RETURN NEXT; RETURN;
  END IF;
  IF v_target.deleted_at IS NOT NULL THEN
    status := 'deleted'; RETURN NEXT; RETURN;
  END IF;
  v_latest := v_latest + 1;
  v_reactions := v_target.reactions;
  IF p_type IN ('r', 'u') THEN
    SELECT (x.ord - 1)::integer INTO v_index FROM jsonb_array_elements(coalesce(v_reactions, '[]')) WITH ORDINALITY AS x (v, ord)
    WHERE x.v ->> 0 = p_reaction;
    IF p_type = 'r' THEN
      IF EXISTS (SELECT 1 FROM reactions r WHERE r.channel = p_channel AND r.seq = p_target AND r.reaction = p_reaction AND r.user_id = p_by) THEN
        status := 'unchanged'; RETURN NEXT; RETURN;
      END IF;
      IF v_index IS NULL AND jsonb_array_length(coalesce(v_reactions, '[]')) >= p_max_reactions THEN
        status := 'full'; RETURN NEXT; RETURN;
      END IF;
      INSERT INTO reactions (channel, seq, reaction, user_id) VALUES (p_channel, p_target, p_reaction, p_by);
      IF v_index IS NULL THEN
        v_count := 1;
        v_reactions := coalesce(v_reactions, '[]') || jsonb_build_array(jsonb_build_array(p_reaction, 1));
      ELSE
        v_count := (v_reactions -> v_index ->> 1)::integer + 1;
        v_reactions := jsonb_set(v_reactions, ARRAY[v_index::text, '1'], to_jsonb(v_count));
      END IF;
    ELSE
      DELETE FROM reactions r WHERE r.channel = p_channel AND r.seq = p_target AND r.reaction = p_reaction AND r.user_id = p_by;
      IF NOT FOUND OR v_index IS NULL THEN
        status := 'unchanged'; RETURN NEXT; RETURN;
      END IF;
      v_count := (v_reactions -> v_index ->> 1)::integer - 1;
      IF v_count <= 0 THEN
        v_reactions := v_reactions - v_index;
        IF jsonb_array_length(v_reactions) = 0 THEN v_reactions := NULL; END IF;
      ELSE
        v_reactions := jsonb_set(v_reactions, ARRAY[v_index::text, '1'], to_jsonb(v_count));
      END IF;
    END IF;
    UPDATE entries e SET reactions = v_reactions, version = v_latest WHERE e.channel = p_channel AND e.seq = p_target;
  ELSIF p_type = 'e' THEN
    UPDATE entries e SET body = p_body, edited_at = p_at, version = v_latest WHERE e.channel = p_channel AND e.seq = p_target;
  ELSE
    -- A delete removes the body from the message and from every stored edit of it.
    UPDATE entries e SET body = NULL, edited_at = NULL, reactions = NULL, deleted_by = p_by, deleted_at = p_at, version = v_latest
    WHERE e.channel = p_channel AND e.seq = p_target;
    UPDATE entries e SET body = NULL WHERE e.channel = p_channel AND e.kind = 'e' AND e.ref = p_target AND e.body IS NOT NULL;
    DELETE FROM reactions r WHERE r.channel = p_channel AND r.seq = p_target;
  END IF;
  UPDATE streams s SET latest = v_latest WHERE s.channel = p_channel;
  INSERT INTO entries (channel, seq, kind, ref, sender, sent_at, body, reaction, count)
  VALUES (p_channel, v_latest, p_type, p_target, p_by, p_at, CASE WHEN p_type = 'e' THEN p_body END,
    CASE WHEN p_type IN ('r', 'u') THEN p_reaction END, v_count);
  status := 'applied'; seq := v_latest; count := v_count;
  RETURN NEXT;
END $$;
