"""Pure logic of the ritual: no Telegram, no SQL, no clock of its own (`now` is an argument)."""
