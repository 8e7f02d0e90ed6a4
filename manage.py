#!/usr/bin/env python


def main() -> None:
    from trygghet.__main__ import main as manage

    manage()


if __name__ == "__main__":
    main()
