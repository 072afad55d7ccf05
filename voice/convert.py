"""Turn a Hugging Face Whisper checkpoint (e.g. a Telugu fine-tuned one) into a faster-whisper model directory.

    python -m voice.convert CHECKPOINT_DIR OUTPUT_DIR [--quantization int8]

then MITRA_ASR_MODEL_TE=OUTPUT_DIR. Uses CTranslate2's own converter; the tokenizer and feature-extractor files
travel with the weights, because faster-whisper would otherwise fetch them from the hub (nothing is fetched
here: models load with local_files_only).
"""
from __future__ import annotations

import argparse
from pathlib import Path

SIDE_FILES = ("tokenizer.json", "preprocessor_config.json")


class ConversionError(RuntimeError):
    pass


def convert_whisper_checkpoint(checkpoint: str | Path, output: str | Path, quantization: str = "int8",
                               force: bool = False) -> Path:
    """Convert a transformers Whisper checkpoint directory to CTranslate2 (what faster-whisper loads)."""
    from ctranslate2.converters import TransformersConverter

    checkpoint, output = Path(checkpoint), Path(output)
    if not (checkpoint / "config.json").is_file():
        raise ConversionError(f"{checkpoint} is not a Hugging Face checkpoint directory (no config.json)")
    present = [name for name in SIDE_FILES if (checkpoint / name).is_file()]
    converter = TransformersConverter(str(checkpoint), copy_files=present, load_as_float16=False)
    converter.convert(str(output), quantization=quantization, force=force)
    if not (output / "tokenizer.json").is_file():
        _write_fast_tokenizer(checkpoint, output)
    return output


def _write_fast_tokenizer(checkpoint: Path, output: Path) -> None:
    """Checkpoints that ship only the slow tokenizer files (vocab.json, merges.txt) get a tokenizer.json made
    from them, which is what faster-whisper reads."""
    from transformers import WhisperTokenizerFast

    try:
        tokenizer = WhisperTokenizerFast.from_pretrained(str(checkpoint), local_files_only=True)
    except (OSError, ValueError) as exc:
        raise ConversionError(f"{checkpoint} has no usable tokenizer (tokenizer.json or vocab.json + merges.txt): "
                              f"{exc}") from exc
    (output / "tokenizer.json").write_text(tokenizer.backend_tokenizer.to_str(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--quantization", default="int8", help="int8 (CPU default), int8_float32, float16, float32")
    parser.add_argument("--force", action="store_true", help="replace an existing output directory")
    args = parser.parse_args()
    print(convert_whisper_checkpoint(args.checkpoint, args.output, args.quantization, args.force))


if __name__ == "__main__":
    main()
