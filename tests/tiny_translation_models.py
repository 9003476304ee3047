"""Tiny random-weight MarianMT and M2M100 translation models, built offline inside the tests.

A SentencePiece model (~100 pieces) is trained on a small generated corpus; the tokenizer
files and a 1-layer, 16-dim model are written with ``save_pretrained`` so that they load
through exactly the path users hit (``Translator({"fr": <dir>})``). Weights are random:
translations are gibberish; only the plumbing is real.
"""

from __future__ import annotations

import json
import os
import random
import warnings

WORDS = (
    "a an the cat dog sits on mat red blue green photo of man woman street car tree sky house with and in at "
    "is two small big white black field water people sign reading grand opening sale shop window poster text"
).split()

SPM_CONTROL = {"<unk>", "<s>", "</s>", "<pad>"}


def corpus(n: int = 400, seed: int = 0) -> list[str]:
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(3, 10))]
        if rnd.random() < 0.3:
            words = [w.upper() for w in words]
        elif rnd.random() < 0.5:
            words[0] = words[0].capitalize()
        lines.append(" ".join(words) + rnd.choice(["", ".", ",", '"', "!"]))
    lines.append("0123456789 XQ1 XQ2 \" ' « » : - ( ) ?")
    return lines


def train_spm(prefix: str, vocab_size: int = 100, model_type: str = "unigram") -> str:
    """Train a SentencePiece model on the generated corpus; returns the ``.model`` path."""
    import sentencepiece as spm

    text = prefix + ".txt"
    with open(text, "w", encoding="utf-8") as fh:
        fh.write("\n".join(corpus()) + "\n")
    spm.SentencePieceTrainer.train(
        input=text,
        model_prefix=prefix,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return prefix + ".model"


def _pieces(model_path: str) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=model_path)
    return [p for p in (sp.id_to_piece(i) for i in range(sp.get_piece_size())) if p not in SPM_CONTROL]


def build_marian(path: str, *, target_codes: tuple[str, ...] = (), seed: int = 0) -> str:
    """A MarianMT model; ``target_codes`` (e.g. ``("fr", "de")``) adds ``>>fr<<`` tokens (multi-target model)."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    os.makedirs(path, exist_ok=True)
    work = os.path.join(path, "_build")
    os.makedirs(work, exist_ok=True)
    spm_path = train_spm(os.path.join(work, "spm"))
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for code in target_codes:
        vocab.setdefault(f">>{code}<<", len(vocab))
    for piece in _pieces(spm_path):
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    vocab_file = os.path.join(work, "vocab.json")
    with open(vocab_file, "w", encoding="utf-8") as fh:
        json.dump(vocab, fh, ensure_ascii=False)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*sacremoses")
        tok = MarianTokenizer(source_spm=spm_path, target_spm=spm_path, vocab=vocab_file, source_lang="en")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=128,
        init_std=0.5,  # large random weights: outputs depend on the input
        pad_token_id=pad,
        eos_token_id=0,
        decoder_start_token_id=pad,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    model.generation_config.min_new_tokens = 3  # random weights often say EOS at once; keep some output
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path


def build_m2m100(path: str, *, seed: int = 0) -> str:
    """An M2M100 model with the 100 ``__xx__`` language tokens."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    os.makedirs(path, exist_ok=True)
    work = os.path.join(path, "_build")
    os.makedirs(work, exist_ok=True)
    spm_path = train_spm(os.path.join(work, "spm"), model_type="bpe")
    vocab: dict[str, int] = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in _pieces(spm_path):
        vocab.setdefault(piece, len(vocab))
    vocab_file = os.path.join(work, "vocab.json")
    with open(vocab_file, "w", encoding="utf-8") as fh:
        json.dump(vocab, fh, ensure_ascii=False)
    tok = M2M100Tokenizer(vocab_file=vocab_file, spm_file=spm_path, src_lang="en")
    config = M2M100Config(
        vocab_size=len(vocab) + 100 + 8,  # + the language tokens + 8 "madeup words", as M2M100 lays them out
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=128,
        init_std=0.5,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config).eval()
    model.generation_config.min_new_tokens = 3
    model.save_pretrained(path)
    tok.save_pretrained(path)
    return path
