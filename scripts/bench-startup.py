#!/usr/bin/env python3
# bench-startup.py BIN TREE RUNS: time `ccwake status --json` against `ccwake --auto --dry-run`
# until every stall it lists is decided (issue 9 item 1), alternating, on the same tree.
import subprocess, sys, time, json, os, shutil, re, tempfile
binp, tree, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
decided = re.compile(r'msg=(scheduled|fatal|gave_up|watching)\b')
def status():
    t=time.monotonic()
    out=subprocess.run([binp,'status','--json','--claude-dir',tree,'--tmux-socket','/nonexistent/ccwake-bench-tmux'],capture_output=True).stdout
    dt=time.monotonic()-t
    n=sum(1 for s in json.loads(out)['sessions'] if s.get('state')=='stalled')
    return dt,n
def auto(n):
    sd=tempfile.mkdtemp(); 
    t=time.monotonic()
    p=subprocess.Popen([binp,'--auto','--dry-run','--claude-dir',tree,'--tmux-socket','/nonexistent/ccwake-bench-tmux','--state-dir',sd,'--log-file',os.path.join(sd,'log')],stderr=subprocess.PIPE,text=True)
    seen=set(); dt=None
    for line in p.stderr:
        if decided.search(line):
            m=re.search(r'session=(\S+)',line); seen.add(m.group(1) if m else line)
            if len(seen)>=n: dt=time.monotonic()-t; break
    p.terminate(); p.wait()
    return dt
S=[];A=[]
for i in range(runs):
    s,n=status(); a=auto(n); S.append(s); A.append(a)
    print(f"run {i}: status {s:.3f}s ({n} stalled)  auto {a:.3f}s  ratio {a/s:.2f}",flush=True)
S.sort();A.sort()
print(f"status best {S[0]:.3f} median {S[len(S)//2]:.3f}; auto best {A[0]:.3f} median {A[len(A)//2]:.3f}; median ratio {A[len(A)//2]/S[len(S)//2]:.2f}")
