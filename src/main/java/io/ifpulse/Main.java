package io.ifpulse;
public class Main { public static void main(String[] a) {} }
