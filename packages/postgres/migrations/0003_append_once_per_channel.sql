-- @roomkit/postgres schema, version 3: append_messages locks and updates each channel's stream
-- row once per batch instead of once per message, so a batch of n messages to one busy channel
-- leaves one new version of that row, not n. Same signature and the same results.
CREATE OR REPLACE FUNCTION append_messages(p_channels text[], p_ids uuid[], p_senders text[], p_sent_at double precision[],
  p_client_ids text[], p_bodies json[], p_reply_to bigint[])
RETURNS TABLE (idx integer, duplicate boolean, seq bigint, id uuid, sender text, sent_at double precision, client_id text,
  body json, ref bigint, version bigint, edited_at double precision, deleted_by text, deleted_at double precision,
  reactions jsonb, replies integer, last_reply_at double precision, mine text[])
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
  item record;
  v_channel text;
  v_latest bigint;
BEGIN
  FOR item IN
    SELECT (x.ord - 1)::integer AS i, x.channel, x.id, x.sender, x.sent_at, x.client_id, x.body, x.reply_to
    FROM unnest(p_channels, p_ids, p_senders, p_sent_at, p_client_ids, p_bodies, p_reply_to)
      WITH ORDINALITY AS x (channel, id, sender, sent_at, client_id, body, reply_to, ord)
    ORDER BY x.channel COLLATE "C", x.ord
  LOOP
    IF v_channel IS DISTINCT FROM item.channel THEN
      IF v_channel IS NOT NULL THEN
        UPDATE streams s SET latest = v_latest WHERE s.channel = v_channel;
      END IF;
      v_channel := item.channel;
      v_latest := lock_stream(item.channel);
    END IF;
    IF item.client_id IS NOT NULL THEN
      RETURN QUERY SELECT item.i, true, e.seq, e.id, e.sender, e.sent_at, e.client_id, e.body, e.ref, e.version, e.edited_at,
          e.deleted_by, e.deleted_at, e.reactions, e.replies, e.last_reply_at,
          ARRAY(SELECT r.reaction FROM reactions r WHERE r.channel = e.channel AND r.seq = e.seq AND r.user_id = e.sender)
        FROM entries e
        WHERE e.channel = item.channel AND e.sender = item.sender AND e.client_id = item.client_id AND e.kind = 'm';
      IF FOUND THEN CONTINUE; END IF;
    END IF;
    v_latest := v_latest + 1;
    INSERT INTO entries (channel, seq, kind, ref, id, sender, sent_at, client_id, body, version)
    VALUES (item.channel, v_latest, 'm', item.reply_to, item.id, item.sender, item.sent_at, item.client_id, item.body, v_latest);
    IF item.reply_to IS NOT NULL THEN
      -- The root, when kept, counts the reply and takes its seq as version.
      UPDATE entries e SET replies = e.replies + 1, last_reply_at = item.sent_at, version = v_latest
      WHERE e.channel = item.channel AND e.seq = item.reply_to AND e.kind = 'm';
    END IF;
    idx := item.i; duplicate := false; seq := v_latest;
    RETURN NEXT;
  END LOOP;
  IF v_channel IS NOT NULL THEN
    UPDATE streams s SET latest = v_latest WHERE s.channel = v_channel;
  END IF;
END $$;
