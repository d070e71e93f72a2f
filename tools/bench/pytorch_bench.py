"""The PyTorch side of `npm run bench -- --vs pytorch`: the same workloads as tools/bench/vs-pytorch.ts,
written the way a PyTorch user would, one JSON line per row on stdout.

Run by vs-pytorch.ts with OVERPARAM_BENCH_PYTHON (a venv with the PyTorch 2.x CPU wheel) or
Debian's python3-torch (OpenBLAS's OpenMP build chosen through LD_LIBRARY_PATH), 2 threads. Each row is a function below; `--rows` picks some (a Gram row is run
in a process of its own so that its peak RSS is its own).
"""
import argparse
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_DIM = 784
CLASSES = 10
BATCH = 128
LR = 0.01


def summary(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "reps": len(samples)}


def rates(run, steps, reps):
    """Steps per second of `reps` timed calls of run(steps) after one untimed call (as measure.ts)."""
    run(steps)
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        run(steps)
        out.append(steps / (time.perf_counter() - t))
    return summary(out)


def seconds(run, reps):
    run()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        run()
        out.append(time.perf_counter() - t)
    return summary(out)


def mlp(depth, width):
    layers, d = [], INPUT_DIM
    for _ in range(depth):
        lin = nn.Linear(d, width)
        nn.init.xavier_normal_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.Tanh()]
        d = width
    out = nn.Linear(d, CLASSES)
    nn.init.xavier_normal_(out.weight)
    nn.init.zeros_(out.bias)
    return nn.Sequential(*layers, out)


def wide_resnet(depth, k, batch_norm, skip):
    """Mirrors architectures' wideResNet: pre-activation blocks, 'same' 3x3 convs, 1x1 projection, He normal."""
    n = (depth - 4) // 6

    def conv(cin, cout, size, stride=1):
        c = nn.Conv2d(cin, cout, size, stride, padding=size // 2, bias=not batch_norm)
        nn.init.kaiming_normal_(c.weight, nonlinearity="relu")
        if c.bias is not None:
            nn.init.zeros_(c.bias)
        return c

    def pre(c):
        return [nn.BatchNorm2d(c), nn.ReLU()] if batch_norm else [nn.ReLU()]

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.pre = nn.Sequential(*pre(cin))
            self.body = nn.Sequential(conv(cin, cout, 3, stride), *pre(cout), conv(cout, cout, 3))
            self.project = conv(cin, cout, 1, stride) if skip and (cin != cout or stride != 1) else None

        def forward(self, x):
            h = self.pre(x)
            y = self.body(h)
            if not skip:
                return y
            return y + (self.project(h) if self.project is not None else x)

    layers, c = [conv(3, 16, 3)], 16
    for g, base in enumerate([16, 32, 64]):
        w = base * k
        for i in range(n):
            layers.append(Block(c, w, 2 if g > 0 and i == 0 else 1))
            c = w
    fc = nn.Linear(c, CLASSES)
    nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
    nn.init.zeros_(fc.bias)
    return nn.Sequential(*layers, *pre(c), nn.AdaptiveAvgPool2d(1), nn.Flatten(), fc)


def train_rate(model, x, y, reps, target_seconds):
    """SGD steps on minibatches of 128 gathered from held data, loss read back every step (as our loop)."""
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    n = x.shape[0]
    gen = torch.Generator().manual_seed(0)

    def run(steps):
        perm = torch.randperm(n, generator=gen)
        for s in range(steps):
            idx = perm[(s * BATCH) % (n - BATCH + 1):][:BATCH]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            loss.item()

    run(2)  # first-call costs
    t = time.perf_counter()
    run(2)
    per_step = (time.perf_counter() - t) / 2
    steps = max(1, min(200, int(target_seconds / max(per_step, 1e-9))))
    return {**rates(run, steps, reps), "steps": steps}


def flat_grad(model):
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


def minibatch_cosines(model, x, y, pairs):
    """The paper's protocol: for each of `pairs` pairs of minibatches, the cosine of their mean-loss gradients."""
    gen = torch.Generator().manual_seed(0)
    out = []
    for _ in range(pairs):
        perm = torch.randperm(x.shape[0], generator=gen)
        grads = []
        for b in range(2):
            idx = perm[b * BATCH:(b + 1) * BATCH]
            model.zero_grad(set_to_none=True)
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            grads.append(flat_grad(model))
        out.append(F.cosine_similarity(grads[0], grads[1], dim=0).item())
    return out


def factorized_loss_gram(model, x, y):
    """G_ij = <grad l_i, grad l_j> for an MLP without per-example gradients: for each Linear layer,
    (a_i . a_j + 1)(d_i . d_j), a = its input, d = dl/d(its output) per example (one backward pass)."""
    inputs, outputs = [], []

    def keep(module, inp, out):
        inputs.append(inp[0].detach())
        out.retain_grad()
        outputs.append(out)

    hooks = [m.register_forward_hook(keep) for m in model if isinstance(m, nn.Linear)]
    loss = F.cross_entropy(model(x), y, reduction="sum")
    loss.backward()
    for h in hooks:
        h.remove()
    g = torch.zeros(x.shape[0], x.shape[0], dtype=torch.float32)
    for a, z in zip(inputs, outputs):
        d = z.grad
        g += (a @ a.T + 1) * (d @ d.T)
    model.zero_grad(set_to_none=True)
    return g


def random_data(n, shape, seed):
    gen = torch.Generator().manual_seed(seed)
    return torch.rand((n, *shape), generator=gen) - 0.5, torch.randint(0, CLASSES, (n,), generator=gen)


def row_train_mlp(depth, width):
    def run(args):
        torch.manual_seed(0)
        x, y = random_data(16 * BATCH, (INPUT_DIM,), 1)
        return {"unit": "steps/s", **train_rate(mlp(depth, width), x, y, args.reps, args.target)}
    return run


def row_train_wrn(skip):
    def run(args):
        torch.manual_seed(0)
        x, y = random_data(2 * BATCH, (3, 32, 32), 3)
        return {"unit": "steps/s", **train_rate(wide_resnet(16, 2, skip, skip), x, y, args.reps, 0)}
    return run


def row_confusion(args):
    torch.manual_seed(0)
    x, y = random_data(2048, (INPUT_DIM,), 3)
    model = mlp(10, 100)
    pairs = 10 if args.quick else 100
    return {"unit": "s", "pairs": pairs, **seconds(lambda: minibatch_cosines(model, x, y, pairs), args.reps)}


def row_gram(width):
    def run(args):
        torch.manual_seed(0)
        x, y = random_data(1024, (INPUT_DIM,), 3)
        model = mlp(3, width)
        result = seconds(lambda: factorized_loss_gram(model, x, y), args.reps)
        # ru_maxrss is in KiB on Linux: the process's high-water mark, this row's own (one row per process).
        return {"unit": "s", "n": 1024, **result, "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    return run


def row_wide_net(args):
    """Du et al.'s net (as architectures' duMlp): x -> sqrt(2/m) relu(W x), twice, then a frozen a;
    W ~ N(0, 1), no biases; full-batch gradient descent on the mean of (u - y)^2 / 2 over 16 unit-norm points."""
    torch.manual_seed(0)
    m, n, d = 4096, 16, 8
    x = F.normalize(torch.randn(n, d), dim=1)
    y = torch.rand(n) * 2 - 1
    w1 = nn.Parameter(torch.randn(m, d))
    w2 = nn.Parameter(torch.randn(m, m))
    a = torch.randn(m)
    scale = (2 / m) ** 0.5
    opt = torch.optim.SGD([w1, w2], lr=0.1)

    def run(steps):
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            h = scale * torch.relu(x @ w1.T)
            h = scale * torch.relu(h @ w2.T)
            loss = 0.5 * ((h @ a - y) ** 2).mean()
            loss.backward()
            opt.step()
            loss.item()

    run(2)
    t = time.perf_counter()
    run(2)
    steps = max(1, min(200, int(args.target / max((time.perf_counter() - t) / 2, 1e-9))))
    return {"unit": "steps/s", "n": n, **rates(run, steps, args.reps), "steps": steps}


TEN_RUNS, TEN_RUN_STEPS = 10, 200


def row_ten_runs(args):
    """MLP-3-100 trained 10 times one after another (seeds 0-9, 200 steps each), as a user's sweep does."""
    x, y = random_data(16 * BATCH, (INPUT_DIM,), 1)

    def all_runs():
        for seed in range(TEN_RUNS):
            torch.manual_seed(seed)
            model = mlp(3, 100)
            opt = torch.optim.SGD(model.parameters(), lr=LR)
            perm = torch.randperm(x.shape[0])
            for s in range(TEN_RUN_STEPS):
                idx = perm[(s * BATCH) % (x.shape[0] - BATCH + 1):][:BATCH]
                opt.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                loss.item()

    return {"unit": "s", "runs": TEN_RUNS, "steps": TEN_RUN_STEPS, **seconds(all_runs, min(3, args.reps))}


def random_gram(n):
    gen = torch.Generator().manual_seed(n)
    a = torch.randn(n, n + 8, generator=gen, dtype=torch.float64)
    return a @ a.T


def row_eigenvalues(args):
    g = random_gram(1024)
    return {"unit": "s", "n": 1024, "dtype": "float64", **seconds(lambda: torch.linalg.eigvalsh(g), args.reps)}


ROWS = {
    "train MLP-3-100": row_train_mlp(3, 100),
    "train MLP-10-100": row_train_mlp(10, 100),
    "train MLP-100-100": row_train_mlp(100, 100),
    "train MLP-10-1000": row_train_mlp(10, 1000),
    "train CNN-16-2": row_train_wrn(False),
    "train WRN-16-2": row_train_wrn(True),
    "train wide net Du MLP-2-4096": row_wide_net,
    "MLP-3-100, 10 runs": row_ten_runs,
    "minibatch cosines MLP-10-100": row_confusion,
    "loss Gram MLP-3-100": row_gram(100),
    "loss Gram MLP-3-1000": row_gram(1000),
    "eigenvalues": row_eigenvalues,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default=";".join(ROWS), help="row names separated by ';' (a name may hold a comma)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    args.reps = 2 if args.quick else 5
    args.target = 0.2 if args.quick else 1.0
    torch.set_num_threads(args.threads)
    for name in args.rows.split(";"):
        if name not in ROWS:
            print(f"unknown row {name!r}; rows: {', '.join(ROWS)}", file=sys.stderr)
            sys.exit(2)
        result = ROWS[name](args)
        print(json.dumps({"row": name, "torch": torch.__version__, "threads": torch.get_num_threads(), **result}), flush=True)


if __name__ == "__main__":
    main()
