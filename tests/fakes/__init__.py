"""Local stand-ins for outside services (the WhatsApp Graph API), served over real HTTP on 127.0.0.1."""
