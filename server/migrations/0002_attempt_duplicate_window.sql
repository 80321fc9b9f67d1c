-- The x_duplicate_window each charge attempt was sent with. Attempts on one
-- session share the invoice number, so each uses its own window value (the
-- gateway compares it too): a corrected retry (e.g. only the card code
-- changed) is never taken for a duplicate of the declined attempt, while a
-- resend of the same attempt still is.
ALTER TABLE payment_attempts ADD COLUMN duplicate_window BIGINT;
