package dev.resilient.processor;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * Tells whether an element comes from source in this compilation, so that an error can point at
 * it, or from a class file (a super-interface in a jar), so that the error goes on the interface
 * being processed instead.
 */
final class SourceLocator {
    private SourceLocator() {}

    static Predicate<Element> of(ProcessingEnvironment env) {
        try {
            Trees trees = Trees.instance(env);
            return element -> trees.getPath(element) != null;
        } catch (IllegalArgumentException | LinkageError notJavac) {
            // Another compiler: report on the element itself and let it place the message.
            return element -> true;
        }
    }

    /**
     * Interfaces declared inside method bodies under {@code roots}: javac's round environment
     * does not list them, so annotations on them would otherwise be ignored without a word.
     */
    static List<TypeElement> localInterfaces(ProcessingEnvironment env, Iterable<? extends Element> roots) {
        List<TypeElement> found = new ArrayList<>();
        Trees trees;
        try {
            trees = Trees.instance(env);
        } catch (IllegalArgumentException | LinkageError notJavac) {
            return found;
        }
        for (Element root : roots) {
            TreePath path = trees.getPath(root);
            if (path == null) {
                continue;
            }
            new TreePathScanner<Void, Boolean>() {
                @Override
                public Void visitMethod(MethodTree method, Boolean inBody) {
                    return super.visitMethod(method, true);
                }

                @Override
                public Void visitClass(ClassTree type, Boolean inBody) {
                    if (Boolean.TRUE.equals(inBody) && trees.getElement(getCurrentPath()) instanceof TypeElement local
                            && local.getKind() == ElementKind.INTERFACE) {
                        found.add(local);
                    }
                    return super.visitClass(type, inBody);
                }
            }.scan(path, false);
        }
        return found;
    }
}
