"""Tiny random-weight captioning models, saved with ``save_pretrained`` into a directory.

They load through exactly the path users hit (``TransformersCaptioner(model=<dir>)``)
without any download. Weights are random: the captions are gibberish; only the
plumbing (processors, generation, decoding, scores) is real.
"""

from __future__ import annotations


WORDS = (
    "a an the cat dog sits on mat red blue green photo of man woman street car tree sky house "
    "with and in at is two small big white black field water people"
).split()

CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for item in message['content'] %}"
    "{% if item['type'] == 'image' %}{{ IMAGE }}"
    "{% elif item['type'] == 'text' %}{{ item['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _seed() -> None:
    import torch

    torch.manual_seed(0)


def _bert_tokenizer():
    from transformers import BertTokenizer

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {w: i for i, w in enumerate(specials + WORDS)}
    return BertTokenizer(vocab=vocab)


def _bpe_vocab(specials: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A byte-level BPE vocabulary: the 256 byte symbols + a few merges + the special tokens."""
    from tokenizers import pre_tokenizers

    symbols = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab: dict[str, int] = {}
    for s in specials + symbols:
        vocab.setdefault(s, len(vocab))
    merges = []
    for a, b in [("Ġ", "a"), ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("Ġ", "c"), ("a", "t"), ("Ġc", "at")]:
        merges.append((a, b))
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def build_blip(path: str) -> str:
    """BLIP: 32-dim, 2-layer text and vision, 32×32 images."""
    _seed()
    from transformers import BlipConfig, BlipForConditionalGeneration, BlipImageProcessorPil, BlipProcessor

    tok = _bert_tokenizer()
    common = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37)
    config = BlipConfig(
        text_config=dict(
            vocab_size=len(tok),
            max_position_embeddings=64,
            bos_token_id=tok.cls_token_id,
            sep_token_id=tok.sep_token_id,
            eos_token_id=tok.sep_token_id,
            pad_token_id=tok.pad_token_id,
            **common,
        ),
        vision_config=dict(image_size=32, patch_size=8, **common),
        projection_dim=32,
        image_text_hidden_size=32,
    )
    BlipForConditionalGeneration(config).save_pretrained(path)
    BlipProcessor(BlipImageProcessorPil(size={"height": 32, "width": 32}), tok).save_pretrained(path)
    return path


def build_git(path: str) -> str:
    """GIT: a 32-dim, 2-layer CLIP-like vision tower and text decoder."""
    _seed()
    from transformers import CLIPImageProcessorPil, GitConfig, GitForCausalLM, GitProcessor

    tok = _bert_tokenizer()
    config = GitConfig(
        vision_config=dict(
            hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=2, image_size=32, patch_size=8
        ),
        vocab_size=len(tok),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=64,
        bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id,
        pad_token_id=tok.pad_token_id,
    )
    GitForCausalLM(config).save_pretrained(path)
    ip = CLIPImageProcessorPil(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    GitProcessor(ip, tok).save_pretrained(path)
    return path


def _gpt2_tokenizer():
    from transformers import GPT2Tokenizer

    vocab, merges = _bpe_vocab(["<|endoftext|>"])
    return GPT2Tokenizer(vocab=vocab, merges=merges)


def build_vision_encoder_decoder(path: str) -> str:
    """ViT encoder + GPT-2 decoder (the vit-gpt2 / distilvit layout), 32-dim, 2 layers."""
    _seed()
    from transformers import GPT2Config, VisionEncoderDecoderConfig, VisionEncoderDecoderModel, ViTConfig
    from transformers import ViTImageProcessorPil

    tok = _gpt2_tokenizer()
    eos = tok.eos_token_id
    enc = ViTConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=37, image_size=32, patch_size=8
    )
    dec = GPT2Config(
        vocab_size=len(tok), n_embd=32, n_layer=2, n_head=2, n_positions=64, bos_token_id=eos, eos_token_id=eos
    )
    config = VisionEncoderDecoderConfig.from_encoder_decoder_configs(enc, dec)
    config.decoder_start_token_id = eos
    config.pad_token_id = eos
    config.eos_token_id = eos
    model = VisionEncoderDecoderModel(config=config)
    model.generation_config.decoder_start_token_id = eos
    model.generation_config.eos_token_id = eos
    model.generation_config.pad_token_id = eos
    model.save_pretrained(path)
    ViTImageProcessorPil(size={"height": 32, "width": 32}).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def build_florence2(path: str) -> str:
    """transformers-native Florence-2: a 4-stage DaViT of width 16..32 and a 2-layer BART, 64×64 images."""
    _seed()
    from transformers import BartConfig, BartTokenizer, CLIPImageProcessorPil
    from transformers import Florence2Config, Florence2ForConditionalGeneration, Florence2Processor
    from transformers import Florence2VisionConfig

    vocab, merges = _bpe_vocab(["<s>", "<pad>", "</s>", "<unk>", "<mask>", "<image>"])
    tok = BartTokenizer(vocab=vocab, merges=merges, extra_special_tokens={"image_token": "<image>"})
    vision = Florence2VisionConfig(
        depths=[1, 1, 1, 1],
        embed_dim=[16, 16, 32, 32],
        num_heads=[2, 2, 2, 2],
        num_groups=[2, 2, 2, 2],
        window_size=2,
        projection_dim=32,
        drop_path_rate=0.0,
    )
    text = BartConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=37,
        decoder_ffn_dim=37,
        max_position_embeddings=256,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        decoder_start_token_id=tok.eos_token_id,
        forced_bos_token_id=tok.bos_token_id,
    )
    config = Florence2Config(
        text_config=text, vision_config=vision, image_token_id=tok.convert_tokens_to_ids("<image>")
    )
    model = Florence2ForConditionalGeneration(config)
    model.save_pretrained(path)
    ip = CLIPImageProcessorPil(
        size={"height": 64, "width": 64}, crop_size={"height": 64, "width": 64}, do_center_crop=False
    )
    ip.image_seq_length = 5  # (64 / 32)² spatial tokens + 1 pooled token
    Florence2Processor(ip, tok).save_pretrained(path)
    return path


def build_idefics3(path: str) -> str:
    """SmolVLM layout (Idefics3): a 2-layer SigLIP-like tower on 32×32 images (4 image tokens after the
    pixel shuffle), a 2-layer Llama text model, a byte-level BPE tokenizer with a ChatML template."""
    _seed()
    from transformers import GPT2Tokenizer, Idefics3Config, Idefics3ForConditionalGeneration
    from transformers import Idefics3ImageProcessorPil, Idefics3Processor

    specials = [
        "<|endoftext|>",
        "<|im_start|>",
        "<|im_end|>",
        "<fake_token_around_image>",
        "<image>",
        "<end_of_utterance>",
        "<global-img>",
    ]
    vocab, merges = _bpe_vocab(specials)
    tok = GPT2Tokenizer(
        vocab=vocab,
        merges=merges,
        bos_token="<|im_start|>",
        eos_token="<end_of_utterance>",
        pad_token="<|endoftext|>",
        unk_token="<|endoftext|>",
        extra_special_tokens=specials[1:],
    )
    config = Idefics3Config(
        vision_config=dict(
            hidden_size=32, intermediate_size=37, num_hidden_layers=2, num_attention_heads=2, image_size=32, patch_size=8
        ),
        text_config=dict(
            model_type="llama",
            vocab_size=len(tok),
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=512,
            bos_token_id=tok.bos_token_id,
            eos_token_id=tok.eos_token_id,
            pad_token_id=tok.pad_token_id,
        ),
        scale_factor=2,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
        pad_token_id=tok.pad_token_id,
    )
    model = Idefics3ForConditionalGeneration(config)
    model.generation_config.eos_token_id = [tok.eos_token_id, tok.convert_tokens_to_ids("<|im_end|>")]
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(path)
    ip = Idefics3ImageProcessorPil(
        size={"longest_edge": 32}, max_image_size={"longest_edge": 32}, do_image_splitting=False
    )
    template = CHAT_TEMPLATE.replace("{{ IMAGE }}", "<image>")
    Idefics3Processor(ip, tok, image_seq_len=4, chat_template=template).save_pretrained(path)
    return path


def build_paligemma(path: str) -> str:
    """PaliGemma: a 2-layer SigLIP tower on 32×32 images (16 image tokens) and a 2-layer Gemma."""
    _seed()
    from transformers import GPT2Tokenizer, PaliGemmaConfig, PaliGemmaForConditionalGeneration
    from transformers import PaliGemmaProcessor, SiglipImageProcessorPil

    specials = ["<pad>", "<eos>", "<bos>", "<unk>", "<image>"]
    vocab, merges = _bpe_vocab(specials)
    tok = GPT2Tokenizer(
        vocab=vocab,
        merges=merges,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
        extra_special_tokens={"image_token": "<image>"},
    )
    config = PaliGemmaConfig(
        vision_config=dict(
            model_type="siglip_vision_model",
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=32,
            patch_size=8,
            projection_dim=32,
        ),
        text_config=dict(
            model_type="gemma",
            vocab_size=len(tok),
            hidden_size=32,
            intermediate_size=37,
            num_hidden_layers=2,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=16,
            max_position_embeddings=256,
            bos_token_id=tok.bos_token_id,
            eos_token_id=tok.eos_token_id,
            pad_token_id=tok.pad_token_id,
        ),
        projection_dim=32,
        image_token_id=tok.convert_tokens_to_ids("<image>"),
    )
    model = PaliGemmaForConditionalGeneration(config)
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    model.save_pretrained(path)
    ip = SiglipImageProcessorPil(size={"height": 32, "width": 32})
    ip.image_seq_length = 16
    PaliGemmaProcessor(ip, tok).save_pretrained(path)
    return path
