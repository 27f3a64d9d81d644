"""Screening: an iterator of decisions in registry order, equal to `sa screen`."""
import libsa
from conftest import DATE, PACKS, sa_screen, untimed


def test_screen_equals_cli(registry, tmp_path):
    cli_lines, cli_summary = sa_screen(registry, tmp=tmp_path)
    with libsa.Engine("cn-test", pack_path=PACKS) as eng:
        with eng.screen(registry, DATE, jobs=2) as run:
            records = list(run)
        summary = run.summary
    decisions = [r.decision for r in records if r.decision]
    errors = [r.error for r in records if r.error]
    assert [d.json for d in decisions] == cli_lines
    lines = [r.line for r in records]
    assert lines == sorted(lines)  # registry order
    assert summary.records == len(records) and summary.bad == len(errors) > 0
    assert summary.evaluated == len(decisions) == len(cli_lines)
    assert sum(summary.tiers.values()) == summary.evaluated
    assert summary.programs["dibao"].eligible > 0 and summary.programs["dibao"].period == "month"
    assert untimed(summary.text("cn-test", DATE, 1.0, 2)) == cli_summary
    assert all(e.line > 0 and e.message for e in errors)


def test_screen_text_and_early_stop(registry):
    text = registry.read_bytes()
    with libsa.Engine("cn-test", pack_path=PACKS) as eng:
        run = eng.screen(text, DATE, jobs=1, queue_size=4)
        first = []
        for rec in run:
            first.append(rec)
            if len(first) == 10:
                break
        run.close()  # stops libsa's run; nothing hangs
        assert [r.line for r in first] == sorted(r.line for r in first)
        full = eng.screen(text, DATE).run()
        assert full.records > 1000
