"""The audit trail: what is recorded (``trail``), how entries are chained and checked
(``chain``), and the hooks that write them with the transaction they describe (``hooks``)."""
