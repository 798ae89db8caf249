using System.Reflection;

namespace Osprey;

/// <summary>The disk image the build makes from user/ (build/fs.img), used when no --disk is given.</summary>
public static class DefaultImage
{
    public static string Path
    {
        get
        {
            string root = typeof(DefaultImage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "OspreyRoot").Value!;
            return System.IO.Path.Combine(root, "build", "fs.img");
        }
    }

    /// <summary>
    /// A private copy of the default image for one boot, deleted when disposed, so that every
    /// boot starts from the image as built. Null if the image has not been built.
    /// </summary>
    public static TemporaryFile? Copy()
    {
        if (!File.Exists(Path))
            return null;
        var copy = new TemporaryFile();
        File.Copy(Path, copy.Path, overwrite: true);
        return copy;
    }
}
