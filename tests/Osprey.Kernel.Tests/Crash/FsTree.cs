using System.Text;
using Osprey.Kernel.Fs;
using Osprey.Mkfs;

namespace Osprey.Kernel.Tests.Crash;

/// <summary>
/// A file system as a tree of names: every path from the root, its type, and a file's bytes,
/// with hard links sharing one node. Read from an image, or built by applying the crash
/// workload's operations to a copy, so that what the disk holds can be compared with what the
/// operations say it should.
/// </summary>
internal sealed class FsTree
{
    private readonly Dictionary<string, Node> _paths = new(StringComparer.Ordinal);

    private FsTree()
    {
    }

    public int Count => _paths.Count;

    /// <summary>Every name reachable from the root of <paramref name="image"/> ("." and ".." left out).</summary>
    public static FsTree Read(byte[] image)
    {
        var reader = new ImageReader(image);
        var tree = new FsTree();
        var nodes = new Dictionary<uint, Node>();
        var pending = new Stack<(uint Inum, string Path)>();
        tree._paths["/"] = new Node(InodeType.Directory);
        pending.Push((FsLayout.RootInode, "/"));
        while (pending.TryPop(out (uint Inum, string Path) dir))
        {
            foreach (DirectoryEntry e in reader.ListDirectory(dir.Inum))
            {
                if (e.IsFree || e.NameText is "." or "..")
                    continue;
                string path = Join(dir.Path, e.NameText);
                DiskInode d = reader.ReadInode(e.Inum);
                if (!nodes.TryGetValue(e.Inum, out Node? node))
                {
                    node = new Node(d.Type);
                    if (d.Type == InodeType.File)
                        node.Data.AddRange(reader.ReadContents(e.Inum));
                    nodes[e.Inum] = node;
                }
                tree._paths[path] = node;
                if (d.Type == InodeType.Directory)
                    pending.Push((e.Inum, path));
            }
        }
        return tree;
    }

    /// <summary>A deep copy in which names that shared a node still share one.</summary>
    public FsTree Clone()
    {
        var copy = new FsTree();
        var copies = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach ((string path, Node node) in _paths)
        {
            if (!copies.TryGetValue(node, out Node? c))
            {
                c = new Node(node.Type);
                c.Data.AddRange(node.Data);
                copies[node] = c;
            }
            copy._paths[path] = c;
        }
        return copy;
    }

    /// <summary>The tree after <paramref name="op"/>, which must succeed here as it must in the workload.</summary>
    public FsTree After(CrashOp op)
    {
        FsTree next = Clone();
        next.Apply(op);
        return next;
    }

    private void Apply(CrashOp op)
    {
        string path = "/" + op.Path;
        switch (op.Kind)
        {
            case "mkdir":
                AddName(path, new Node(InodeType.Directory));
                break;
            case "create":
                AddName(path, new Node(InodeType.File));
                break;
            case "append":
                File(path).Data.AddRange(CrashOp.Pattern(op.Count, op.Seed));
                break;
            case "trunc":
                File(path).Data.Clear();
                break;
            case "link":
                AddName("/" + op.Target, File(path));
                break;
            case "unlink":
                RemoveName(path);
                break;
            case "orphan":
                // The bytes appended after the unlink go to a file nothing names: invisible.
                if (_paths.Values.Count(n => n == File(path)) != 1)
                    throw new InvalidOperationException($"{op}: the file has other names, which would see the append (a second transaction)");
                RemoveName(path);
                break;
            default:
                throw new InvalidOperationException($"unknown operation {op}");
        }
    }

    private void AddName(string path, Node node)
    {
        string parent = Parent(path);
        if (!_paths.TryGetValue(parent, out Node? dir) || dir.Type != InodeType.Directory || _paths.ContainsKey(path))
            throw new InvalidOperationException($"{path}: no directory to add it to, or the name exists");
        _paths[path] = node;
    }

    private void RemoveName(string path)
    {
        Node node = _paths.GetValueOrDefault(path) ?? throw new InvalidOperationException($"{path}: no such name");
        if (node.Type == InodeType.Directory && _paths.Keys.Any(p => p.StartsWith(path + "/", StringComparison.Ordinal)))
            throw new InvalidOperationException($"{path}: the directory is not empty");
        _paths.Remove(path);
    }

    private Node File(string path) =>
        _paths.GetValueOrDefault(path) is { Type: InodeType.File } node ? node : throw new InvalidOperationException($"{path}: no such file");

    /// <summary>
    /// How <paramref name="actual"/> differs from <paramref name="expected"/>: names, types,
    /// contents, and which names are links to one file; null when they are the same.
    /// </summary>
    public static string? Difference(FsTree expected, FsTree actual)
    {
        var problems = new List<string>();
        foreach (string path in expected._paths.Keys.Except(actual._paths.Keys).Order(StringComparer.Ordinal))
            problems.Add($"{path} is missing");
        foreach (string path in actual._paths.Keys.Except(expected._paths.Keys).Order(StringComparer.Ordinal))
            problems.Add($"{path} should not be there");
        var sameNode = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        var sameNodeBack = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach ((string path, Node want) in expected._paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!actual._paths.TryGetValue(path, out Node? got))
                continue;
            if (want.Type != got.Type)
                problems.Add($"{path} is a {got.Type}, not a {want.Type}");
            else if (!want.Data.SequenceEqual(got.Data))
                problems.Add($"{path} holds {got.Data.Count} bytes{FirstDifference(want.Data, got.Data)}, not the {want.Data.Count} expected");
            if (sameNode.TryGetValue(want, out Node? mapped) && mapped != got
                || sameNodeBack.TryGetValue(got, out Node? back) && back != want)
            {
                problems.Add($"{path} is not linked to the names it should share a file with (or is linked to others)");
            }
            sameNode[want] = got;
            sameNodeBack[got] = want;
        }
        return problems.Count == 0 ? null : string.Join("; ", problems.Take(8)) + (problems.Count > 8 ? $"; and {problems.Count - 8} more" : "");
    }

    private static string FirstDifference(List<byte> want, List<byte> got)
    {
        int n = Math.Min(want.Count, got.Count);
        for (int i = 0; i < n; i++)
        {
            if (want[i] != got[i])
                return $" (first difference at byte {i})";
        }
        return "";
    }

    private static string Join(string dir, string name) => dir == "/" ? "/" + name : $"{dir}/{name}";

    private static string Parent(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "/";

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach ((string path, Node node) in _paths.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(path).Append(node.Type == InodeType.File ? $" ({node.Data.Count} bytes)" : $" ({node.Type})").Append('\n');
        return text.ToString();
    }

    private sealed class Node(InodeType type)
    {
        public InodeType Type { get; } = type;
        public List<byte> Data { get; } = [];
    }
}
