"""WhatsApp Cloud API: webhook signatures, payload parsing, reply rendering and the outbound client."""
