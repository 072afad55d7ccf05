"""Speech engines behind `voice.transcriber.Transcriber`: faster-whisper, openai-whisper, transformers."""
