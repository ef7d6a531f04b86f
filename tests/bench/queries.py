"""The query mix the benchmark times, by kind (the same for every engine)."""

from __future__ import annotations

ONE_TERM = [
    "learning",
    "reward",
    "diffusion",
    "kernel",
    "uncertainty",
    "retrieval",
    "quantization",
    "agents",
    "regret",
    "transformer",
]
TWO_TERMS = [
    "reinforcement learning",
    "language models",
    "policy optimization",
    "reward model",
    "uncertainty estimation",
    "contrastive representation",
    "offline data",
    "chain thought",
]
PHRASES = [
    '"reinforcement learning"',
    '"language models"',
    '"policy optimization"',
    '"reward model"',
    '"large language"',
    '"data augmentation"',
]
# What a person types, keystroke by keystroke: each prefix is one search.
TYPED = [
    "rei",
    "rein",
    "reinf",
    "reinfo",
    "reinforc",
    "ker",
    "kern",
    "kerne",
    "dif",
    "diff",
    "diffu",
    "lan",
    "lang",
    "langu",
    "qua",
    "quan",
    "quant",
]
FIELDED = [
    "title:diffusion date:>=2020",
    "abstract:policy upvotes:>=5",
    "title:learning date:>=2018",
    "org:tencent reward",
    "title:model upvotes:>=1 date:>=2022",
]

KINDS = {
    "1-term": ONE_TERM,
    "2-term": TWO_TERMS,
    "phrase": PHRASES,
    "prefix-as-you-type": TYPED,
    "fielded+filter": FIELDED,
}
